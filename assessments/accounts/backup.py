"""What a backup holds: every table except those that `migrate` rebuilds and the ephemeral sessions."""

import datetime
import os
import stat
from pathlib import Path

from django.apps import apps
from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

# Content types and permissions are recreated by `migrate` (with other primary keys: the backup refers to them
# by natural key); sessions are logins in progress and are not restored; django_rq's only model is a stand-in for
# its admin dashboard, with no table.
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "django_rq")
BACKUP_SUFFIXES = (".json.gz", ".json")
# dumpdata's format for backups: Django's JSON with times kept to the microsecond (loaddata reads it as "json").
BACKUP_FORMAT = "r2p-backup-json"


def excluded_labels() -> list[str]:
    """EXCLUDED as dumpdata takes it: only apps that are installed (django_rq is, with the RQ task backend)."""
    installed = {config.label for config in apps.get_app_configs()}
    return [label for label in EXCLUDED if "." in label or label in installed]


def backed_up_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED
        and model._meta.label_lower not in EXCLUDED
        and not model._meta.proxy
        and model._meta.managed
    ]


def row_counts() -> dict[str, int]:
    """Rows per backed-up table, e.g. {"assessments.historicalassessmentitem": 1234, ...}."""
    return {model._meta.label_lower: model._base_manager.count() for model in backed_up_models()}


class LosslessJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps them whole, so a restore gives the same values."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = LosslessJSONEncoder


Deserializer = django_json.Deserializer


BACKUP_FILE_MODE = 0o600  # a backup holds password hashes: only its owner reads it


def backup_file_prepare(path: Path) -> list[str]:
    """Create (or truncate) the backup file with mode 0600 before anything is written to it, creating missing
    folders with mode 0700; return warnings about a folder that others can read or enter."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, BACKUP_FILE_MODE)
    os.close(descriptor)
    os.chmod(path, BACKUP_FILE_MODE)  # an existing file keeps its old mode through O_CREAT: set it
    folder_mode = stat.S_IMODE(path.parent.stat().st_mode)
    if folder_mode & 0o077:
        return [
            f"Warning: the folder {path.parent} can be listed or entered by other users (mode {folder_mode:04o}); "
            f"the backup itself is private (mode 0600), but keep backups in a private folder (chmod 700)."
        ]
    return []
