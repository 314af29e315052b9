"""Missions b to g: programmes and technical cooperation actions, funding, MEAE opinion,
evaluation, IATI exchange."""

from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "relais.cooperation"
    label = "cooperation"
    verbose_name = "Coopération technique (missions b à g)"

    def ready(self):
        from relais.cooperation import registrations
        from relais.core.seeds import reseed_on_post_migrate

        registrations.register_all()
        reseed_on_post_migrate(self, "0002_domains", "forwards", "cooperation.Domain")
