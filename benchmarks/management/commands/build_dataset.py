"""Build the archive-scale dataset (demo data plus N countries × 36 indicators × 3 cycles) in the current database."""

import time

from django.core.management.base import BaseCommand

from benchmarks.dataset import dataset_build, dataset_publish


class Command(BaseCommand):
    help = "Build the benchmark dataset on top of the demo data (idempotent per country and cycle)."

    def add_arguments(self, parser):
        parser.add_argument("--countries", type=int, default=40, help="benchmark countries beside the demo's Korea")
        parser.add_argument(
            "--publish", action="store_true", help="also publish every finished (2019, 2022) assessment as edition 1"
        )

    def handle(self, *args, countries, publish, **options):
        started = time.perf_counter()
        size = dataset_build(countries=countries)
        self.stdout.write(
            f"Dataset: {size.countries} countries, {size.items:,} indicator assessments, {size.citations:,} citations, "
            f"{size.sources:,} sources, {size.history_rows:,} history rows ({time.perf_counter() - started:.1f} s)"
        )
        if publish:
            started = time.perf_counter()
            published = dataset_publish()
            self.stdout.write(f"Published {published} annexes ({time.perf_counter() - started:.1f} s)")
