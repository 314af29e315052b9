"""Mission a of article 1: operational information (intake, grading, exclusion triage, analysis,
dissemination, acknowledgement, feedback, retention)."""

from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "relais.information"
    label = "information"
    verbose_name = "Renseignement opérationnel (mission a)"

    def ready(self):
        from relais.core.seeds import reseed_on_post_migrate
        from relais.information import registrations

        # The themes seeded by 0002 survive a flush (transactional and browser tests).
        reseed_on_post_migrate(self, "0002_themes", "create_themes", "information.Theme")

        registrations.register_all()
