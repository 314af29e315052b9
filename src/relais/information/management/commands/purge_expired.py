"""`relais purge-expired [--dry-run] [--date AAAA-MM-JJ]`: delete the information reports past
their retention period (per theme, five years after the last update by default) and keep, for
each, a trace without content (`PurgeRecord` and an audit event)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relais.information.services import purge_expired


class Command(BaseCommand):
    help = (
        "Supprime les fiches d'information dont la durée de conservation est échue et garde une "
        "trace sans contenu de chaque suppression. --dry-run : liste seulement."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Lister sans supprimer.")
        parser.add_argument("--date", help="Date de référence AAAA-MM-JJ (défaut : aujourd'hui).")

    def handle(self, *args, dry_run=False, date=None, **options):
        now = timezone.now()
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError("--date attend une date AAAA-MM-JJ.") from exc
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
        expired = purge_expired(now, dry_run=dry_run)
        for item in expired:
            self.stdout.write(
                f"{item.report.reference} : dernière mise à jour le "
                f"{timezone.localtime(item.report.updated_at):%d/%m/%Y} — {item.rule}"
            )
        verb = "à supprimer" if dry_run else "supprimée(s)"
        self.stdout.write(self.style.SUCCESS(f"{len(expired)} fiche(s) {verb}."))
