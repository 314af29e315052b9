from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "relais.legal"
    label = "legal"
    verbose_name = "L'article 1"
