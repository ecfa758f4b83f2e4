from django.core.management.base import BaseCommand

from assessments.citations.links import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, links_check
from assessments.models import Source


class Command(BaseCommand):
    help = "Check every cited source URL (bounded concurrency and timeout); record status and date per source."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="Seconds per request.")
        parser.add_argument("--all", action="store_true", help="Check every source with a URL, cited or not.")
        parser.add_argument(
            "--background", action="store_true", help="Enqueue the check as a background task and return."
        )

    def handle(self, *args, concurrency: int, timeout: float, all: bool, background: bool, **options):
        sources = Source.objects.exclude(url="") if all else None
        if background:
            from assessments.background.tasks import check_links

            ids = list(sources.values_list("pk", flat=True)) if sources is not None else None
            result = check_links.enqueue(source_ids=ids, concurrency=concurrency, timeout=timeout)
            self.stdout.write(f"Link check enqueued (task {result.id}).")
            return
        report = links_check(sources=sources, concurrency=concurrency, timeout=timeout)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"{len(report.results)} URLs checked, {len(report.broken)} broken.")
