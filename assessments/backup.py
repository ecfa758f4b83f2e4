"""What a backup holds: every table except those that `migrate` rebuilds and the ephemeral sessions."""

from django.apps import apps
from django.db import models

# Content types and permissions are recreated by `migrate` (with other primary keys: the backup refers to them
# by natural key); sessions are logins in progress and are not restored.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
BACKUP_SUFFIXES = (".json.gz", ".json")


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
