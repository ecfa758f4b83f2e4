"""Dump the whole database (data, revision history, editions, users and groups) to one gzipped JSON file."""

import os
from pathlib import Path

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from assessments.accounts.backup import (
    BACKUP_FILE_MODE,
    BACKUP_FORMAT,
    BACKUP_SUFFIXES,
    backed_up_models,
    backup_file_prepare,
    excluded_labels,
)


class Command(BaseCommand):
    help = (
        "Write everything in the database to a gzipped JSON file that `restore` loads into an empty database: "
        "framework, assessments, sources, citations, comments, editions, the full revision history, users and "
        "groups. Content types and permissions are referred to by natural key (migrate recreates them); sessions "
        "are left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="File to write, ending in .json.gz (or .json).")

    def handle(self, *args, output: str, **options):
        path = Path(output)
        if not path.name.endswith(BACKUP_SUFFIXES):
            raise CommandError(f"The backup file name must end in {' or '.join(BACKUP_SUFFIXES)}: {path.name}")
        for warning in backup_file_prepare(path):  # the file is created with mode 0600 before it holds anything
            self.stderr.write(warning)
        # dumpdata streams each table in primary-key order and gzips by the file's extension; the format is JSON
        # with whole microseconds (Django's own JSON cuts them to milliseconds), read back by loaddata as JSON.
        serializers.register_serializer(BACKUP_FORMAT, "assessments.accounts.backup")
        call_command(
            "dumpdata",
            format=BACKUP_FORMAT,
            exclude=excluded_labels(),
            natural_foreign=True,
            use_base_manager=True,
            output=str(path),
            verbosity=0,
        )
        os.chmod(path, BACKUP_FILE_MODE)
        total = sum(model._base_manager.count() for model in backed_up_models())
        self.stdout.write(f"Backed up {total} rows of {len(backed_up_models())} tables to {path}")
