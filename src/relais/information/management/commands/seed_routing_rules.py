"""`relais seed-routing-rules`: create the default routing rules (theme → units) that are
missing (drugs → OFAST and PJGN, irregular immigration → DGEF and DCPAF…). Idempotent."""

from django.core.management.base import BaseCommand

from relais.information.services import seed_routing_rules


class Command(BaseCommand):
    help = "Crée les règles d'orientation par défaut qui manquent (idempotent)."

    def handle(self, *args, **options):
        created = seed_routing_rules()
        self.stdout.write(self.style.SUCCESS(f"{created} règle(s) d'orientation créée(s)."))
