from django.apps import AppConfig


class CountriesConfig(AppConfig):
    name = "relais.countries"
    label = "countries"
    verbose_name = "Fiches pays"
