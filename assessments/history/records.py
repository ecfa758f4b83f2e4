"""`HistoricalRecords` that records changes only, with the indexes history lookups need at archive scale.

django-simple-history writes a historical row on every save, even when nothing changed. Here a save (or a
`bulk_update_with_history`) of an existing object writes a row only when a tracked field differs from the
object's latest historical row. That costs one indexed query per save (one per batch for bulk updates),
served by the `(id, history_date, history_id)` index added to every historical table. Creations and
deletions are always recorded; an object with no history yet always gets its first row.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import models
from simple_history.manager import HistoricalQuerySet, HistoryManager
from simple_history.models import HistoricalRecords

TIMELINE_ORDER = ("-history_date", "-history_id")


def tracked_attnames(history_model) -> list[str]:
    return [field.attname for field in history_model.tracked_fields]


def _normalised(field: models.Field, value):
    try:
        return field.to_python(value)
    except Exception:  # noqa: BLE001 — an unparsable value simply counts as a change
        return value


def differs(history_model, instance, latest: dict | None) -> bool:
    """Whether `instance` differs in any tracked field from `latest` (a `values()` row of its latest record).

    Deferred fields were not loaded, so this save cannot have changed them: they are not compared (and not
    fetched one query each)."""
    if latest is None or latest.get("history_type") == "-":
        return True
    deferred = instance.get_deferred_fields()
    return any(
        _normalised(field, getattr(instance, field.attname)) != _normalised(field, latest[field.attname])
        for field in history_model.tracked_fields
        if field.attname not in deferred
    )


def latest_values(history_model, pk) -> dict | None:
    """The tracked values of an object's latest historical row (one indexed query)."""
    pk_attname = history_model.instance_type._meta.pk.attname
    return (
        history_model._default_manager.filter(**{pk_attname: pk})
        .order_by(*TIMELINE_ORDER)
        .values("history_type", *tracked_attnames(history_model))
        .first()
    )


def latest_values_of_each(history_model, pks: Iterable) -> dict:
    """pk → tracked values of each object's latest historical row, in one query."""
    pk_attname = history_model.instance_type._meta.pk.attname
    rows = (
        HistoricalQuerySet(model=history_model)
        .filter(**{f"{pk_attname}__in": list(pks)})
        .latest_of_each()
        .order_by(pk_attname, "history_id")
        .values("history_type", *tracked_attnames(history_model))
    )
    return {row[pk_attname]: row for row in rows}  # history_id order: the last write wins a date tie


class ChangeOnlyHistoryManager(HistoryManager):
    def bulk_history_create(self, objs, batch_size=None, update=False, **kwargs):
        """Bulk updates record only the objects that differ from their latest historical row."""
        objs = list(objs)
        if update and objs and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            latest = latest_values_of_each(self.model, [obj.pk for obj in objs])
            objs = [obj for obj in objs if differs(self.model, obj, latest.get(obj.pk))]
            if not objs:
                return []
        return super().bulk_history_create(objs, batch_size=batch_size, update=update, **kwargs)


class ChangeOnlyHistoricalRecords(HistoricalRecords):
    """Use instead of `HistoricalRecords`; `indexes` adds `models.Index`es to the historical table."""

    def __init__(self, *args, indexes: Sequence[models.Index] = (), **kwargs):
        kwargs.setdefault("history_manager", ChangeOnlyHistoryManager)
        # Reasons such as "reopened: <why>" or "import <file>" outgrow simple-history's 100 characters.
        kwargs.setdefault("history_change_reason_field", models.TextField(null=True))
        self.extra_indexes = list(indexes)
        super().__init__(*args, **kwargs)

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        object_index = models.Index(
            fields=[model._meta.pk.attname, "history_date", "history_id"],
            name=f"hist_{model._meta.model_name[:15]}_obj_idx",
        )
        options["indexes"] = [*options.get("indexes", ()), object_index, *self.extra_indexes]
        return options

    def post_save(self, instance, created, using=None, **kwargs):
        if (
            not created
            and not kwargs.get("raw", False)
            and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
            and not hasattr(instance, "skip_history_when_saving")
        ):
            history_model = getattr(type(instance), self.manager_name).model
            if not differs(history_model, instance, latest_values(history_model, instance.pk)):
                return
        super().post_save(instance, created, using=using, **kwargs)
