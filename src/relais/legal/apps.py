from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_after_migrate(sender, apps=None, using="default", **kwargs):
    """Keep the `Mission` table in step with data/article-1.yaml after every `migrate` (and
    `flush`, which sends the same signal without the migration state)."""
    from django.apps import apps as global_apps

    from relais.legal.services import sync_missions

    try:
        model = (apps or global_apps).get_model("legal", "Mission")
    except LookupError:  # `migrate legal zero`: the table is gone, nothing to sync
        return
    sync_missions(model=model, using=using)


class LegalConfig(AppConfig):
    name = "relais.legal"
    label = "legal"
    verbose_name = "L'article 1"

    def ready(self):
        from relais.core.navigation import NavEntry
        from relais.core.navigation import register as register_nav
        from relais.legal import counts
        from relais.referential.models import Post

        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="legal-sync-missions")
        register_nav(NavEntry("L'article 1", "legal:article", order=90))
        # Mission b: « anime le réseau des services de sécurité intérieure à l'étranger ».
        counts.register(
            "b",
            "Postes du réseau (services de sécurité intérieure)",
            lambda user: Post.objects.visible_to(user).count(),
            "referential:posts",
        )
