"""What a backup holds: every table except those that `migrate` rebuilds and the ephemeral sessions."""

import datetime

from django.apps import apps
from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

# Content types and permissions are recreated by `migrate` (with other primary keys: the backup refers to them
# by natural key); sessions are logins in progress and are not restored.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
BACKUP_SUFFIXES = (".json.gz", ".json")
# dumpdata's format for backups: Django's JSON with times kept to the microsecond (loaddata reads it as "json").
BACKUP_FORMAT = "r2p-backup-json"


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
