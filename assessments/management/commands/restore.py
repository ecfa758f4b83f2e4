"""Load a backup made by `backup` into an empty, migrated database."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.accounts.backup import BACKUP_SUFFIXES, backed_up_models, row_counts


class Command(BaseCommand):
    help = (
        "Restore a backup file made by `backup` into this database. Run `migrate` first, with the same version "
        "of r2p that made the backup. Refuses a database that holds any data unless --force is given, which "
        "deletes everything first; either way the restore is one transaction, so a failure changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Backup file (.json.gz or .json).")
        parser.add_argument("--force", action="store_true", help="Delete all data in this database before restoring.")

    def handle(self, *args, file: str, force: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such backup file: {path}")
        if not path.name.endswith(BACKUP_SUFFIXES):
            raise CommandError(f"A backup file name ends in {' or '.join(BACKUP_SUFFIXES)}: {path.name}")
        occupied = [label for label, count in row_counts().items() if count]
        if occupied and not force:
            raise CommandError(
                f"The database is not empty ({', '.join(occupied[:5])}{' …' if len(occupied) > 5 else ''}); "
                "restore into a freshly migrated database, or pass --force to delete its data first."
            )
        with transaction.atomic():
            if occupied:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(path), verbosity=0)
        total = sum(row_counts().values())
        self.stdout.write(f"Restored {total} rows of {len(backed_up_models())} tables from {path}")
