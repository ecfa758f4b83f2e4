"""Build the benchmark dataset (demo data plus N countries × 36 indicators × C cycles) in the current database."""

import time

from django.core.management.base import BaseCommand, CommandError

from benchmarks.dataset import ALL_CYCLES, COUNTRIES, dataset_build, dataset_publish


class Command(BaseCommand):
    help = "Build the benchmark dataset on top of the demo data (idempotent per country and cycle)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--countries",
            type=int,
            default=40,
            help=f"benchmark countries (the 40 of Asia-Pacific first, up to all {len(COUNTRIES)} UN member states)",
        )
        parser.add_argument(
            "--cycles",
            type=int,
            default=3,
            help=f"cycles ending with the open {ALL_CYCLES[-1]} one (up to {len(ALL_CYCLES)}: {ALL_CYCLES[0]} on)",
        )
        parser.add_argument(
            "--publish", action="store_true", help="also publish every finished (2019, 2022) assessment as edition 1"
        )

    def handle(self, *args, countries, cycles, publish, **options):
        if not 1 <= countries <= len(COUNTRIES):
            raise CommandError(f"--countries: 1 to {len(COUNTRIES)} (the UN member states)")
        if not 1 <= cycles <= len(ALL_CYCLES):
            raise CommandError(f"--cycles: 1 to {len(ALL_CYCLES)}")
        started = time.perf_counter()
        progress = self.stdout.write if options["verbosity"] > 1 else None
        size = dataset_build(countries=countries, cycles=cycles, progress=progress)
        self.stdout.write(
            f"Dataset: {size.countries} countries, {size.items:,} indicator assessments, {size.citations:,} citations, "
            f"{size.sources:,} sources, {size.history_rows:,} history rows ({time.perf_counter() - started:.1f} s)"
        )
        if publish:
            started = time.perf_counter()
            published = dataset_publish()
            self.stdout.write(f"Published {published} annexes ({time.perf_counter() - started:.1f} s)")
