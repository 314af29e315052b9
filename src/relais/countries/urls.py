from django.urls import path

from relais.countries import views

app_name = "countries"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<str:iso>/", views.sheet, name="sheet"),
    path("<str:iso>/pdf/", views.sheet_pdf, name="sheet_pdf"),
]
