"""`relais send-reminders`: the daily deadline reminders (idempotent; see docs/dev/notifications.md)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from relais.core.notifications.deadlines import send_reminders, sources


class Command(BaseCommand):
    help = "Envoie les rappels d'échéance du jour (sans jamais envoyer deux fois le même rappel)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Jour de référence AAAA-MM-JJ (par défaut : aujourd'hui), pour rattraper un jour.",
        )
        parser.add_argument(
            "--source", action="append", dest="sources", help="Limiter à une source (répétable)."
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date attend une date AAAA-MM-JJ.") from None
        known = {s.name for s in sources()}
        unknown = set(options["sources"] or []) - known
        if unknown:
            raise CommandError(
                f"Source inconnue : {', '.join(sorted(unknown))} (connues : {', '.join(sorted(known))})."
            )
        report = send_reminders(today, options["sources"])
        for name, count in sorted(report.created.items()):
            self.stdout.write(f"{name} : {count} rappel(s)")
        self.stdout.write(self.style.SUCCESS(f"{report.total} rappel(s) envoyé(s)."))
