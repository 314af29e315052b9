"""`relais backup DEST`: the database, the attachments and the audit checkpoints in a folder
(relais.core.backup, docs/administration.md)."""

from django.core.management.base import BaseCommand, CommandError

from relais.core.backup import BackupError, backup, describe


class Command(BaseCommand):
    help = (
        "Sauvegarde la base (SQLite : sauvegarde en ligne ; PostgreSQL : pg_dump), les pièces "
        "jointes et les points de contrôle d'audit dans le dossier DEST (nouveau ou vide)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", metavar="DEST", help="Dossier de la sauvegarde (créé).")

    def handle(self, *args, dest, **options):
        try:
            manifest = backup(dest)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Sauvegarde écrite dans {dest} : {describe(manifest)}")
        )
