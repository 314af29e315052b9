from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "relais.core.audit"
    label = "audit"
    verbose_name = "Journal d'audit"
