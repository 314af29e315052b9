from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "relais.core"
    label = "core"
    verbose_name = "Socle commun"

    def ready(self):
        from relais.core import (
            dates,
            schema,  # noqa: F401 — OpenAPI extensions (errors, named enums)
        )

        dates.install()  # every date entered lies between 1900 and 2199 (relais.core.dates)
        # Every serializer refuses unknown fields and non-JSON booleans (docs/dev/api.md).
        from relais.core.serializers import install_strict_input

        install_strict_input()
