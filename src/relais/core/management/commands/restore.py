"""`relais restore SRC [--force]`: put a backup of `relais backup` back (relais.core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from relais.core.backup import BackupError, describe, restore


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de « relais backup » : base, pièces jointes, points de contrôle "
        "d'audit. Refuse d'écraser une base en service sans --force. Arrêtez Relais avant."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", metavar="SRC", help="Dossier écrit par « relais backup ».")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remplacer une base qui contient déjà des comptes ou un journal d'audit.",
        )

    def handle(self, *args, src, force=False, **options):
        try:
            manifest = restore(src, force=force)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(self.style.SUCCESS(f"Restauration terminée : {describe(manifest)}"))
        self.stdout.write("Ensuite : « relais audit verify » puis « relais reindex ».")
