from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "relais.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from relais.accounts import schema, views  # noqa: F401 — OpenAPI extension, signal receivers
