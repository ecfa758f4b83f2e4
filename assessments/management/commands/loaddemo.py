from django.core.management.base import BaseCommand

from assessments.demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the framework, cycles 2019/2022/2025, the Republic of Korea 2022 annex and the demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-2025-coverage",
            action="store_true",
            help="Give 2025 its coverage period (July 2022 – June 2025): the change-rationale rule is on there.",
        )

    def handle(self, *args, **options):
        report = demo_load(coverage_2025=options["with_2025_coverage"])
        if report.created:
            for line in report.created:
                self.stdout.write(f"  loaded {line}")
        else:
            self.stdout.write("  demo data already loaded; nothing changed")
        self.stdout.write("\nDemo logins (development only):")
        for username, password in report.users.items():
            self.stdout.write(f"  {username:<11} {password}")
