from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.citations.source_import import ImportFormatError, sources_import


class Command(BaseCommand):
    help = "Import sources from a CSL-JSON (Zotero export; id is the key) or BibTeX file. Re-importing changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change without writing.")
        parser.add_argument("--user", help="Username recorded in the history (default: none).")

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, **options):
        try:
            content = file.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user {user!r}") from error
        try:
            report = sources_import(content=content, filename=file.name, user=account, dry_run=dry_run)
        except ImportFormatError as error:
            raise CommandError(str(error)) from error
        for key in report.created:
            self.stdout.write(f"  {'create' if dry_run else 'created'} {key}")
        for key, fields in report.updated.items():
            self.stdout.write(f"  {'update' if dry_run else 'updated'} {key}: {', '.join(fields)}")
        for error in report.errors:
            self.stdout.write(f"  error  entry {error.index} {error.key or '(no id)'}: {'; '.join(error.messages)}")
        self.stdout.write(report.summary())
        if report.citations_resolved:
            self.stdout.write(f"{report.citations_resolved} waiting citations now resolve.")
