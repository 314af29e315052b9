"""Mission a of article 1: operational information (intake, grading, exclusion triage, analysis,
dissemination, acknowledgement, feedback, retention)."""

from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "relais.information"
    label = "information"
    verbose_name = "Renseignement opérationnel (mission a)"

    def ready(self):
        from relais.information import registrations

        registrations.register_all()
