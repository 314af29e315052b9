"""Reference rows that a data migration seeds must survive a database flush.

`flush` (and every transactional test) empties the tables but keeps the migration history, so
rows seeded by a data migration (domains of cooperation, domains of agreements…) would be gone
for good. `reseed_on_post_migrate` re-runs the migration's seeding function after `migrate` and
after `flush` (both send `post_migrate`), only when the table is empty, so user edits stay.

    class CooperationConfig(AppConfig):
        def ready(self):
            reseed_on_post_migrate(self, "0002_domains", "forwards", "cooperation.Domain")
"""

import importlib

from django.apps import apps as django_apps
from django.db.models.signals import post_migrate


def reseed_on_post_migrate(app_config, migration: str, function: str, model: str) -> None:
    def reseed(sender, using="default", **kwargs):
        seeded = django_apps.get_model(model)
        if seeded._default_manager.using(using).exists():
            return
        module = importlib.import_module(f"{app_config.name}.migrations.{migration}")
        getattr(module, function)(django_apps, None)

    post_migrate.connect(
        reseed, sender=app_config, weak=False, dispatch_uid=f"relais-reseed-{model}"
    )
