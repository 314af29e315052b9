"""Mission b: the network of internal security services (SSI) abroad."""

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "relais.network"
    label = "network"
    verbose_name = "Réseau des services de sécurité intérieure à l'étranger (mission b)"

    def ready(self):
        from relais.network import registrations

        registrations.register_all()
