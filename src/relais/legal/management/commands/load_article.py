"""`relais load-article`: sync the `Mission` table from data/article-1.yaml (idempotent)."""

from django.core.management.base import BaseCommand

from relais.legal.services import sync_missions


class Command(BaseCommand):
    help = "Charge l'article 1 (data/article-1.yaml) dans la table des missions ; sans effet s'il est à jour."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Base de données cible.")

    def handle(self, *args, database, **options):
        result = sync_missions(using=database)
        self.stdout.write(result.summary())
        if result.stale:
            self.stderr.write(
                "Missions absentes du fichier (conservées) : " + ", ".join(result.stale)
            )
