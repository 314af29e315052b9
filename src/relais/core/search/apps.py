from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "relais.core.search"
    label = "search"
    verbose_name = "Recherche"
