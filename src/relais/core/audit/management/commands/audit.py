"""`relais audit verify`: check that the audit chain is intact (exit 1 naming the first break)."""

from django.core.management.base import BaseCommand, CommandError

from relais.core.audit.events import verify_chain
from relais.core.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Journal d'audit. « verify » contrôle la chaîne d'empreintes (code 1 si elle est rompue)."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(
            dest="subcommand", title="sous-commandes", required=True, metavar="{verify}"
        )
        subcommands.add_parser(
            "verify",
            help="Parcourt la chaîne et signale le premier événement modifié, supprimé ou inséré.",
        )

    def handle(self, *args, subcommand=None, **options):
        if subcommand == "verify":
            return self.verify()
        raise CommandError(f"Sous-commande inconnue : {subcommand}")

    def verify(self):
        problem = verify_chain()
        if problem is not None:
            where = f" (événement n°{problem.event_id})" if problem.event_id else ""
            raise CommandError(f"Chaîne d'audit rompue{where} : {problem.message}", returncode=1)
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Chaîne d'audit intègre : {count} événements"))
