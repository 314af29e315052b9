"""`relais import-actions FILE.xlsx [--dry-run] [--user NAME]`: bulk entry of cooperation
actions from a spreadsheet, all or nothing, with the errors of each line and a progress bar."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from relais.cooperation.imports import TEMPLATE_HEADERS, import_actions


class Command(BaseCommand):
    help = (
        "Saisie en masse d'actions de coopération depuis un classeur XLSX (une ligne par action). "
        "Tout ou rien : si une ligne est fausse, rien n'est enregistré. Colonnes : "
        + ", ".join(TEMPLATE_HEADERS)
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Classeur XLSX.")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans enregistrer.")
        parser.add_argument(
            "--user",
            help="Auteur des actions ; chaque ligne doit alors être dans son périmètre.",
        )

    def handle(self, *args, file, dry_run=False, user=None, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"Utilisateur inconnu ou inactif : « {user} ».")
        bar = tqdm(
            desc="Actions",
            unit=" ligne",
            disable=not sys.stderr.isatty(),
            file=sys.stderr,
        )
        try:
            report = import_actions(file, user=account, dry_run=dry_run, progress=bar.update)
        finally:
            bar.close()
        for number, error in report.errors:
            prefix = f"Ligne {number} : " if number else ""
            self.stdout.write(f"{prefix}{error}")
        if report.errors:
            raise CommandError(
                f"{len({n for n, _ in report.errors})} ligne(s) en erreur sur {report.rows} : "
                "rien n'a été enregistré."
            )
        if dry_run:
            self.stdout.write(
                f"Vérification : {report.rows} ligne(s) correcte(s) ; rien n'a été enregistré "
                "(--dry-run)."
            )
        else:
            self.stdout.write(f"{report.created} action(s) créée(s).")
