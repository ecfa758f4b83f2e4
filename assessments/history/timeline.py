"""An item's revisions: numbered timeline pages and comparisons of any two revisions.

A revision is one historical row of the item. Its number is its 1-based position in the item's history in
chronological order (history_date, then history_id): revision 1 is the creation. History is append-only
(rows are never edited or deleted and a new row is always later than every earlier one), so a revision keeps
its number for good; "reverted to revision N" in a change reason refers to that number.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils.safestring import SafeString

from assessments.history.diff import diff_counts, word_diff_html
from assessments.models import AssessmentItem, ItemStatus, Rating, Trend

PER_PAGE = 25
# The item's content, restored by a revert; status is workflow state and is never restored.
CONTENT_FIELDS = ("rating", "trend", "trend_override_reason", "notes")
COMPARED_FIELDS = ("status", "rating", "trend", "trend_override_reason", "notes")
FIELD_LABELS = {
    "status": "Status",
    "rating": "Rating",
    "trend": "Trend",
    "trend_override_reason": "Why the trend differs",
    "notes": "Notes",
}
CHOICE_LABELS = {"status": dict(ItemStatus.choices), "rating": dict(Rating.choices), "trend": dict(Trend.choices)}
TEXT_FIELDS = ("trend_override_reason", "notes")
HistoricalItem = AssessmentItem.history.model


def item_history(item: AssessmentItem):
    """The item's historical rows, newest first (served by the (id, history_date, history_id) index)."""
    return HistoricalItem.objects.filter(id=item.pk).order_by("-history_date", "-history_id")


def _not_after(record) -> Q:
    return Q(history_date__lt=record.history_date) | Q(history_date=record.history_date, history_id__lte=record.pk)


def revision_numbers(item_id: int, records) -> dict[int, int]:
    """history_id → revision number for the given rows of one item, in one query."""
    records = list(records)
    if not records:
        return {}
    counts = HistoricalItem.objects.filter(id=item_id).aggregate(
        **{f"r{record.pk}": Count("history_id", filter=_not_after(record)) for record in records}
    )
    return {record.pk: counts[f"r{record.pk}"] for record in records}


def revision_number(record) -> int:
    return revision_numbers(record.id, [record])[record.pk]


def field_display(name: str, value) -> str:
    if name in CHOICE_LABELS:
        return CHOICE_LABELS[name].get(value, value) if value else "—"
    return value or ""


def changed_fields(newer, older) -> list[str]:
    """Labels of the compared fields that differ between two revisions (all of them for a creation)."""
    if older is None:
        return ["created"]
    return [FIELD_LABELS[name] for name in COMPARED_FIELDS if getattr(newer, name) != getattr(older, name)]


@dataclass
class Revision:
    record: object  # a historical AssessmentItem row
    number: int
    changed: list[str] = field(default_factory=list)

    @property
    def user(self):
        return self.record.history_user

    @property
    def reason(self) -> str:
        return self.record.history_change_reason or ""


@dataclass
class TimelinePage:
    page: Page
    revisions: list[Revision]
    total: int


def timeline_page(item: AssessmentItem, page_number, per_page: int = PER_PAGE) -> TimelinePage:
    """One page of the timeline, newest first, numbered, with what each revision changed: two queries."""
    history = item_history(item)
    paginator = Paginator(history, per_page)
    page = paginator.get_page(page_number)  # counts: query 1
    start = page.start_index() - 1 if paginator.count else 0
    # The page's rows plus the one before its oldest, to say what the oldest changed: query 2.
    rows = list(history.select_related("history_user")[start : start + per_page + 1])
    revisions = [
        Revision(record=row, number=paginator.count - start - index, changed=changed_fields(row, older))
        for index, (row, older) in enumerate(zip(rows, [*rows[1:], None], strict=True))
    ][:per_page]
    return TimelinePage(page=page, revisions=revisions, total=paginator.count)


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    diff_html: SafeString | None = None

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class Comparison:
    older: Revision | None
    newer: Revision
    fields: list[FieldChange]
    words_deleted: int = 0
    words_inserted: int = 0

    @property
    def changes(self) -> list[FieldChange]:
        return [change for change in self.fields if change.changed]

    @property
    def notes(self) -> FieldChange:
        return next(change for change in self.fields if change.name == "notes")


def compare(older: Revision | None, newer: Revision, *, is_indicator: bool = True) -> Comparison:
    """Field changes from `older` to `newer` (an empty item when `older` is None); texts as word diffs."""
    fields = []
    for name in COMPARED_FIELDS:
        if not is_indicator and name in ("rating", "trend", "trend_override_reason"):
            continue
        old_value = getattr(older.record, name) if older else ""
        new_value = getattr(newer.record, name)
        change = FieldChange(
            name=name,
            label=FIELD_LABELS[name],
            old=field_display(name, old_value),
            new=field_display(name, new_value),
        )
        if name in TEXT_FIELDS:
            change.diff_html = word_diff_html(old_value, new_value)
        fields.append(change)
    old_notes = older.record.notes if older else ""
    deleted, inserted = diff_counts(old_notes, newer.record.notes)
    return Comparison(older=older, newer=newer, fields=fields, words_deleted=deleted, words_inserted=inserted)


def revisions_by_id(item: AssessmentItem, history_ids) -> dict[int, Revision]:
    """The item's revisions with these history ids, numbered: two queries whatever the number of revisions."""
    ids = []
    for value in history_ids:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    if not ids:
        return {}
    rows = list(item_history(item).filter(history_id__in=ids).select_related("history_user"))
    numbers = revision_numbers(item.pk, rows)
    return {row.pk: Revision(record=row, number=numbers[row.pk]) for row in rows}


def in_order(first: Revision, second: Revision) -> tuple[Revision, Revision]:
    """The two revisions, older first."""
    key = lambda revision: (revision.record.history_date, revision.record.pk)  # noqa: E731
    return (first, second) if key(first) <= key(second) else (second, first)


def last_approved(item: AssessmentItem):
    """The item's latest historical row in the approved state (the content last approved), or None."""
    return item_history(item).filter(status=ItemStatus.APPROVED).select_related("history_user").first()
