"""Search: one full-text search over every registered model, filtered by visible_to."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "relais.core.search"
    label = "search"
    verbose_name = "Recherche"

    def ready(self):
        """Connect the index to writes, then import `<app>.search` of every installed app.

        Autodiscovery, as for the admin: an app registers its models in its own `search.py`
        (see docs/dev/search.md), without touching its AppConfig or any setting.
        """
        from django.utils.module_loading import autodiscover_modules

        from relais.core.search import signals

        signals.connect()
        autodiscover_modules("search")
