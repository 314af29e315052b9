"""`relais export-iati [--country ISO] [--year YYYY] [--output FILE] [--user NAME]`: the IATI 2.03
XML of the cooperation actions (one activity per action), on standard output by default."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from relais.accounts.roles import Role
from relais.cooperation import iati
from relais.cooperation.models import CooperationAction
from relais.core.audit.events import log_export


class Command(BaseCommand):
    help = (
        "Exporte les actions de coopération au format IATI 2.03 (une activité par action). "
        "Seules les actions non protégées sont exportées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", help="Code ISO alpha-2 du pays (ex. ML).")
        parser.add_argument("--year", type=int, help="Année (début prévu), ex. 2025.")
        parser.add_argument("--output", help="Fichier à écrire (sortie standard par défaut).")
        parser.add_argument(
            "--user",
            help="Exporter ce que voit cet utilisateur (par défaut : tout, comme le pilotage).",
        )

    def handle(self, *args, country=None, year=None, output=None, user=None, **options):
        if country and (len(country) != 2 or not country.isalpha()):
            raise CommandError(f"Code pays invalide : « {country} » (code ISO alpha-2 attendu).")
        if year is not None and not 1990 <= year <= 2100:
            raise CommandError(f"Année invalide : {year}.")
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"Utilisateur inconnu ou inactif : « {user} ».")
        else:
            # The command runs on the server: it reads as the pilotage would (everything).
            account = get_user_model()(username="relais-export-iati", role=Role.PILOTAGE)
            account.is_active = True
        actions = list(iati.export_queryset(account, country=country, year=year))
        data = iati.export_activities(actions)
        log_export(
            account if account.pk else None,
            CooperationAction,
            fmt="iati",
            count=len(actions),
            filters={"country": country or "", "year": year or ""},
        )
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
            self.stderr.write(f"{len(actions)} activité(s) IATI écrite(s) dans {output}.")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
        if not actions:
            self.stderr.write(
                "Aucune action ne correspond : le fichier ne contient aucune activité (un fichier "
                "IATI valide en demande au moins une)."
            )
