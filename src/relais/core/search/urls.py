from django.urls import path

from relais.core.search import views

app_name = "search"

urlpatterns = [
    path("", views.results_page, name="results"),
]
