"""Mission k: internal security agreements and technical arrangements."""

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "relais.agreements"
    label = "agreements"
    verbose_name = "Accords de sécurité intérieure (mission k)"

    def ready(self):
        from relais.agreements import registrations
        from relais.core.seeds import reseed_on_post_migrate

        registrations.register_all()
        reseed_on_post_migrate(self, "0002_domains", "add_domains", "agreements.Domain")
