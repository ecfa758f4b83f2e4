"""`manage.py search_reindex`: rebuild the full-text search index from the database."""

import time

from django.core.management.base import BaseCommand

from assessments.search.services import search_reindex


class Command(BaseCommand):
    help = "Rebuild the search index (notes, comments, sources, published annexes) from the database."

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = search_reindex()
        summary = ", ".join(f"{count:,} {kind}" for kind, count in counts.items())
        self.stdout.write(f"Search index rebuilt: {summary} ({time.perf_counter() - started:.1f} s).")
