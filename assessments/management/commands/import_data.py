"""python manage.py import_data FILE --resource indicator-assessments [--dry-run] [--user USERNAME]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.io.services import RESOURCES, import_file

CLI_MAX_BYTES = 200 * 1024 * 1024  # the command is for large files; the web upload limit is R2P_IMPORT_MAX_BYTES


class Command(BaseCommand):
    help = (
        "Import a CSV, XLSX or JSON file (format from the extension) into r2p. Prints one line per row "
        "(new/update/skip/error); writes nothing if any row fails; exits non-zero when anything failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of a .csv, .xlsx or .json file")
        parser.add_argument("--resource", required=True, choices=sorted(RESOURCES), help="what the file holds")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--user", help="username recorded in the history (and whose rights apply to status)")
        parser.add_argument(
            "--archive",
            action="store_true",
            help="indicator assessments of a past, published cycle (admins): land approved, recorded as imported",
        )
        parser.add_argument("--max-bytes", type=int, default=CLI_MAX_BYTES, help="largest file accepted")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user is called {options['user']!r}")
        report = import_file(
            options["resource"],
            path,
            user=user,
            dry_run=options["dry_run"],
            file_name=path.name,
            max_bytes=options["max_bytes"],
            archive=options["archive"],
        )
        verbosity = options["verbosity"]
        # -v 0: errors only; -v 1: changed and failed rows; -v 2: every row, skipped ones too.
        lines = report.error_messages if verbosity == 0 else report.lines(include_skipped=verbosity >= 2)
        for line in lines:
            self.stdout.write(line)
        if verbosity >= 1:
            rate = f"{report.rows_per_second:.0f} rows/s" if report.rows else "no rows"
            self.stdout.write(f"{len(report.rows)} rows in {report.seconds:.2f} s ({rate}).")
        if not report.ok:
            raise CommandError(f"{len(report.error_rows)} rows failed; {report.summary()}")
