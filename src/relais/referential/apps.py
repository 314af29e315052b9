from django.apps import AppConfig


class ReferentialConfig(AppConfig):
    name = "relais.referential"
    label = "referential"
    verbose_name = "Référentiel"

    def ready(self):
        from relais.accounts.roles import Role
        from relais.core import home, navigation
        from relais.referential import views

        navigation.register(navigation.NavEntry("Organisation", "referential:index", order=80))
        home.register(
            home.HomeSection(
                "Mon poste", views.home_my_post, roles=frozenset({Role.ATTACHE}), order=5
            )
        )
        home.register(home.HomeSection("Organisation", views.home_organisation, order=80))
