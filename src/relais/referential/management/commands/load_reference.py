"""`relais load-reference`: create the missing units, zones, countries and partner bodies."""

import time

from django.core.management.base import BaseCommand, CommandError

from relais.core.search.index import rebuild as rebuild_search_index
from relais.referential.loaders import LoadError, load_reference


def describe(created: dict[str, int]) -> str:
    """« 187 unités, 249 pays créés » or a note that everything already existed."""
    parts = [f"{count} {label}" for label, count in created.items() if count]
    return "créés : " + ", ".join(parts) if parts else "rien à créer, tout existe déjà"


class Command(BaseCommand):
    help = (
        "Charge le référentiel (unités, zones, pays ISO 3166-1, organismes partenaires). "
        "Ne crée que ce qui manque ; ne modifie jamais une donnée existante."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        try:
            created = load_reference()
        except LoadError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Référentiel : {describe(created)} ({time.perf_counter() - start:.1f} s)."
        )
        if any(created.values()):
            # Bulk inserts skip the signals that keep the search index in step.
            counts = rebuild_search_index()
            self.stdout.write(
                f"Index de recherche reconstruit : {sum(counts.values())} enregistrements."
            )
