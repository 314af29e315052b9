"""OpenAPI description of the Bearer token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "relais.accounts.authentication.BearerTokenAuthentication"
    name = "jetonBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Jeton personnel créé dans « Mon compte » ou par `relais create-token`.",
        }
