"""`relais load-demo`: the demo network (posts, staff, accounts) and the modules' demo data."""

import time

from django.core.management.base import BaseCommand, CommandError

from relais.core import demo
from relais.core.search.index import rebuild as rebuild_search_index
from relais.referential.loaders import LoadError, load_demo, load_reference
from relais.referential.management.commands.load_reference import describe


def run_demo_loaders(stdout, *, progress: bool = False) -> float:
    """Load the reference data, the organisation's demo, then every registered module loader.

    Writes one line per step on `stdout` and returns the total time in seconds.
    """
    start = time.perf_counter()
    try:
        created = load_reference()
        created_any = any(created.values())
        stdout.write(f"Référentiel : {describe(created)}.")
        step = time.perf_counter()
        created = load_demo(progress=progress)
        created_any = created_any or any(created.values())
        stdout.write(
            f"Démonstration (organisation) : {describe(created)} "
            f"({time.perf_counter() - step:.1f} s)."
        )
    except LoadError as error:
        raise CommandError(str(error)) from error
    for result in demo.run_all():
        created_any = created_any or any(result.created.values())
        stdout.write(
            f"Démonstration ({result.loader.name}) : {describe(result.created)} "
            f"({result.seconds:.1f} s)."
        )
    if created_any:
        # Bulk inserts skip the signals that keep the search index in step.
        counts = rebuild_search_index()
        stdout.write(f"Index de recherche reconstruit : {sum(counts.values())} enregistrements.")
    return time.perf_counter() - start


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration : postes à l'étranger, agents, comptes de "
        "démonstration, puis les données des modules. Ne crée que ce qui manque."
    )

    def handle(self, *args, **options):
        seconds = run_demo_loaders(self.stdout, progress=self.stdout.isatty())
        self.stdout.write(f"Données de démonstration chargées en {seconds:.1f} s.")
