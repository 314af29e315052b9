from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CountriesConfig(AppConfig):
    name = "relais.countries"
    label = "countries"
    verbose_name = "Fiches pays"

    def ready(self):
        from relais.accounts.roles import Role
        from relais.core import home, navigation
        from relais.countries.home import attache_country_sheets

        # Every installed app's `<app>.panels` module registers its panels and counts.
        autodiscover_modules("panels")
        navigation.register(navigation.NavEntry("Pays", "countries:overview", order=85))
        home.register(
            home.HomeSection(
                "Fiches pays de mon poste",
                attache_country_sheets,
                roles=frozenset({Role.ATTACHE}),
                order=20,
            )
        )
