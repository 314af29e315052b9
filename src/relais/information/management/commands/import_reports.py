"""`relais import-reports FILE [--user NAME] [--dry-run]`: import information reports from a
JSON or CSV file (format: docs/user/information-attaches.md), all or nothing, as `--user`.

Exit status 0 when the file was imported (or, with `--dry-run`, is valid); otherwise a
`CommandError` (status 1) after one line per problem, and nothing is stored."""

import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from relais.information.import_files import BadFile, import_reports, read_path


class Command(BaseCommand):
    help = (
        "Importe des fiches d'information depuis un fichier JSON ou CSV (UTF-8, séparateur « ; »). "
        "Tout ou rien : si une fiche est fausse, rien n'est enregistré."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .json ou .csv.")
        parser.add_argument(
            "--user",
            help="Auteur des fiches (identifiant) : un rôle qui peut rédiger une fiche.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans enregistrer.")

    def handle(self, *args, file, user=None, dry_run=False, **options):
        if not user:
            raise CommandError("Indiquez l'auteur des fiches : --user IDENTIFIANT.")
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"Utilisateur inconnu ou inactif : « {user} ».")
        try:
            rows = read_path(file)
        except BadFile as exc:
            raise CommandError(str(exc)) from None
        bar = tqdm(
            total=len(rows) * (1 if dry_run else 2),
            desc="Fiches",
            unit=" étape",
            disable=not sys.stderr.isatty(),
            file=sys.stderr,
        )
        try:
            result = import_reports(account, rows, dry_run=dry_run, progress=bar.update)
        except PermissionDenied as exc:
            raise CommandError(f"{user} : {exc}") from None
        finally:
            bar.close()
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(result.summary())
        for report in result.created:
            self.stdout.write(
                f"{report.reference} : {report.title} ({report.get_status_display()})"
            )
        for receipt in result.receipts:
            self.stdout.write(f"{receipt} : non enregistrée, à adresser à {receipt.redirect_to}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
