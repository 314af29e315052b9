from django.apps import AppConfig


class ReferentialConfig(AppConfig):
    name = "relais.referential"
    label = "referential"
    verbose_name = "Référentiel"
