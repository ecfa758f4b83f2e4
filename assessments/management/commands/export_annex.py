"""Export a country's annex: `python manage.py export_annex KOR 2022 --format pdf --output out.pdf`."""

import sys

from django.core.management.base import BaseCommand, CommandError

from assessments.models import CountryAssessment, Edition
from assessments.publishing.annex import annex_build
from assessments.publishing.exports import FORMATS, annex_export, edition_export


class Command(BaseCommand):
    help = (
        "Export the latest published edition of a country's annex (or a given --edition, or with --draft the "
        "current unpublished text, watermarked DRAFT) as html, pdf, docx, json or md."
    )

    def add_arguments(self, parser):
        parser.add_argument("country", help="ISO alpha-3 code, e.g. KOR")
        parser.add_argument("year", type=int, help="cycle year, e.g. 2022")
        parser.add_argument("--format", dest="fmt", choices=list(FORMATS), default="pdf")
        parser.add_argument("--output", "-o", help="file to write; '-' or nothing writes to standard output")
        parser.add_argument("--draft", action="store_true", help="export the current text as a DRAFT preview")
        parser.add_argument("--edition", type=int, help="a published edition number (default: the latest)")

    def handle(self, *args, country: str, year: int, fmt: str, output: str | None, draft: bool, edition, **options):
        try:
            assessment = CountryAssessment.objects.select_related("country", "cycle__previous").get(
                country__code=country.upper(), cycle__year=year
            )
        except CountryAssessment.DoesNotExist:
            raise CommandError(f"There is no assessment of {country.upper()} in {year}.") from None
        if draft and edition:
            raise CommandError("Give --draft or --edition, not both.")
        if draft:
            if not assessment.items.exists():
                raise CommandError(f"{assessment} has no items to export (legacy score only).")
            export = annex_export(annex_build(assessment), fmt)
        else:
            editions = Edition.objects.filter(country_assessment=assessment).order_by("-number")
            chosen = editions.filter(number=edition).first() if edition else editions.first()
            if chosen is None:
                if edition:
                    raise CommandError(f"{assessment} has no edition {edition}.")
                raise CommandError(
                    f"{assessment} has not been published; publish it first, or export a preview with --draft."
                )
            export = edition_export(chosen, fmt)
        if output in (None, "-"):
            sys.stdout.buffer.write(export.content)
            sys.stdout.buffer.flush()
        else:
            with open(output, "wb") as handle:
                handle.write(export.content)
            self.stderr.write(f"Wrote {output} ({len(export.content):,} bytes, {export.filename}).")
