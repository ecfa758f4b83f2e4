"""python manage.py export_data --resource NAME --format csv|xlsx|json --output FILE [--cycle YEAR] [--country CODE]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.io.formats import FORMATS
from assessments.io.services import RESOURCES, export_file


class Command(BaseCommand):
    help = "Export r2p data as CSV, XLSX or JSON (spreadsheet formulas escaped)."

    def add_arguments(self, parser):
        parser.add_argument("--resource", required=True, choices=sorted(RESOURCES))
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), dest="format_name")
        parser.add_argument("--output", required=True, help="file to write, or - for standard output")
        parser.add_argument("--cycle", type=int, help="only this cycle (assessments, assignments, framework)")
        parser.add_argument("--country", help="only this country, ISO alpha-3 (assessments, assignments)")

    def handle(self, *args, **options):
        data = export_file(
            options["resource"], options["format_name"], cycle=options["cycle"], country=options["country"]
        )
        if options["output"] == "-":
            if options["format_name"] == "xlsx":
                raise CommandError("XLSX is binary; give --output a file name")
            sys.stdout.buffer.write(data)
            return
        path = Path(options["output"])
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error.strerror}") from error
        if options["verbosity"] >= 1:
            self.stdout.write(f"Wrote {path} ({len(data)} bytes).")
