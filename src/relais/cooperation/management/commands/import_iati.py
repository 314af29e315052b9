"""`relais import-iati FILE [--dry-run] [--valid-only] [--country ISO]`: other donors'
activities read from an IATI 2.0x file. A bad or non-IATI file is refused with the list of
problems; a partly invalid file imports nothing unless `--valid-only`; the command exits with a
non-zero status when it imports nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relais.cooperation import iati


class Command(BaseCommand):
    help = (
        "Importe les activités d'autres bailleurs (fichier IATI 2.0x) pour la fiche pays. "
        "Rien n'est importé si le fichier contient des activités invalides, sauf avec "
        "--valid-only."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier XML IATI (activités).")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans enregistrer.")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Importer les activités valides et écarter les autres (compte rendu détaillé).",
        )
        parser.add_argument("--country", help="Ne garder que les activités de ce pays (ISO).")

    def handle(self, *args, file, dry_run=False, valid_only=False, country=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        result = iati.import_activities(
            path.read_bytes(),
            dry_run=dry_run,
            valid_only=valid_only,
            source=path.name,
            country=country,
        )
        for line in result.lines():
            self.stdout.write(line)
        if dry_run and not result.report.errors and not result.refused and result.report.valid:
            return
        if not result.imported:
            raise CommandError("Aucune activité importée.", returncode=2)
