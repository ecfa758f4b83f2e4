"""Import a published annex: `python manage.py import_annex annex.pdf --country KOR --cycle 2022 --user editor`."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.archive.convert import UnsupportedFile
from assessments.archive.originals import original_store
from assessments.archive.report import annex_report_lines
from assessments.archive.services import (
    annex_parse,
    archive_publish,
    country_assessment_import_archive,
)
from assessments.models import Country, Cycle


class Command(BaseCommand):
    help = (
        "Import a published annex (.docx, .pdf, or the text extracted from a PDF) into a country's assessment. "
        "Prints every flag and inconsistency; writes all or nothing unless --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--country", required=True, help="ISO alpha-3 code, e.g. KOR")
        parser.add_argument("--cycle", required=True, type=int, help="cycle year, e.g. 2022")
        parser.add_argument("--user", required=True, help="the editor or admin the history records")
        parser.add_argument("--dry-run", action="store_true", help="print the review report only")
        parser.add_argument("--publish", action="store_true", help="publish the result as edition v1")
        parser.add_argument("--published-on", help="original publication date, YYYY-MM-DD (with --publish)")

    def handle(self, *args, file, country, cycle, user, dry_run, publish, published_on, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        try:
            country_obj = Country.objects.by_code(country.upper())
        except Country.DoesNotExist:
            raise CommandError(f"unknown country {country}") from None
        cycle_obj = Cycle.objects.select_related("previous").filter(year=cycle).first()
        if cycle_obj is None:
            raise CommandError(f"there is no cycle {cycle}")
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"unknown user {user}")
        if published_on and not publish:
            raise CommandError("--published-on goes with --publish")
        started = time.perf_counter()
        try:
            parsed = annex_parse(cycle=cycle_obj, country=country_obj, path=path)
        except UnsupportedFile as error:
            raise CommandError(str(error)) from None
        for line in annex_report_lines(parsed):
            self.stdout.write(line)
        self.stdout.write(f"Read in {time.perf_counter() - started:.2f} s.")
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            return
        published_on = published_on or parsed.published_on
        if publish and not published_on:
            raise CommandError("Nothing written: give --published-on (the annex does not print its publication date).")
        try:
            with transaction.atomic():
                assessment = country_assessment_import_archive(
                    parsed=parsed, country=country_obj, cycle=cycle_obj, user=person, file_name=path.name
                )
                if publish:
                    edition = archive_publish(
                        country_assessment=assessment,
                        user=person,
                        published_on=published_on,
                        file_name=path.name,
                        original=original_store(path.read_bytes(), file_name=path.name),
                    )
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", [str(error)])
            raise CommandError("Nothing written: " + "; ".join(messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {assessment} from {path.name}."))
        if publish:
            self.stdout.write(self.style.SUCCESS(f"Published as v{edition.number} on {edition.published_at:%Y-%m-%d}."))
            self.stdout.write(f"Original file attached for download: {edition.original.name}")
