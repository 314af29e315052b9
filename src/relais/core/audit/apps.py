from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "relais.core.audit"
    label = "audit"
    verbose_name = "Journal d'audit"

    def ready(self):
        from relais.core.audit.models import can_consult_audit
        from relais.core.navigation import NavEntry, register

        register(NavEntry("Audit", "audit:list", order=200, visible=can_consult_audit))
