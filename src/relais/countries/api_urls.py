from django.urls import path

from relais.countries import api

urlpatterns = [
    path("countries/<str:iso>/sheet/", api.CountrySheetView.as_view(), name="country-sheet"),
]
