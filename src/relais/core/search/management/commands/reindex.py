"""`relais reindex`: rebuild the whole search index from the registered models."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from relais.core.search.index import rebuild


class Command(BaseCommand):
    help = "Reconstruit l'index de la recherche à partir de tous les enregistrements déclarés."

    def handle(self, *args, **options):
        show_progress = self.stdout.isatty()

        def progress(rows, total, desc):
            return tqdm(rows, total=total, desc=desc, unit=" enr.", leave=False)

        counts = rebuild(progress=progress if show_progress else None)
        for kind, count in counts.items():
            self.stdout.write(f"{kind} : {count}")
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Index reconstruit : {total} enregistrements."))
