"""A country assessment's activity feed: recent historical rows of its items, comments, citations,
assignments, editions and of the assessment itself, newest first, as one paginated UNION ALL query."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, CharField, F, TextField, Value
from django.db.models.functions import Cast, Substr

from assessments.accounts.services import display_name
from assessments.history.timeline import CHOICE_LABELS
from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    Citation,
    Comment,
    CountryAssessment,
    Edition,
)

KINDS = {
    "item": "Edits and reviews",
    "comment": "Comments",
    "citation": "Citations",
    "assignment": "Assignments",
    "edition": "Editions",
    "assessment": "Assessment record",
}
OPERATIONS = {"+": "added", "~": "changed", "-": "removed"}
COLUMNS = ("e_kind", "e_hid", "e_at", "e_who", "e_op", "e_reason", "e_obj", "e_item", "e_a", "e_b")
SNIPPET = 160


def _text(value) -> Value:
    return Value(value, output_field=CharField())


def _part(model, kind: str, *, item_ref, a, b, **filters):
    """One kind's historical rows as the feed's columns (annotated in the same order for every part)."""
    return (
        model.history.model.objects.filter(**filters)
        .annotate(
            e_kind=_text(kind),
            e_hid=F("history_id"),
            e_at=F("history_date"),
            e_who=F("history_user_id"),
            e_op=F("history_type"),
            e_reason=Cast("history_change_reason", TextField()),
            e_obj=F("id"),
            e_item=item_ref,
            e_a=a,
            e_b=b,
        )
        .values(*COLUMNS)
        .order_by()
    )


def activity_queryset(country_assessment: CountryAssessment, *, user_id: int | None = None, kinds=None):
    """The feed's rows (dicts of COLUMNS), newest first; filter by acting user and by kinds of change."""
    item_ids = AssessmentItem.objects.filter(country_assessment=country_assessment).values("pk")
    no_item = Value(None, output_field=BigIntegerField())
    parts = {
        "item": lambda: _part(
            AssessmentItem,
            "item",
            country_assessment=country_assessment,
            item_ref=F("id"),
            a=Cast("status", TextField()),
            b=Cast("rating", TextField()),
        ),
        "comment": lambda: _part(
            Comment,
            "comment",
            item__in=item_ids,
            item_ref=F("item_id"),
            a=Substr(Cast("body", TextField()), 1, SNIPPET),
            b=Cast(_text(""), TextField()),
        ),
        "citation": lambda: _part(
            Citation,
            "citation",
            item__in=item_ids,
            item_ref=F("item_id"),
            a=Cast("key", TextField()),
            b=Cast("locator", TextField()),
        ),
        "assignment": lambda: _part(
            Assignment,
            "assignment",
            country_assessment=country_assessment,
            item_ref=no_item,
            a=Cast("role", TextField()),
            b=Cast("user_id", TextField()),
        ),
        "edition": lambda: _part(
            Edition,
            "edition",
            country_assessment=country_assessment,
            item_ref=no_item,
            a=Cast("number", TextField()),
            b=Cast(_text(""), TextField()),
        ),
        "assessment": lambda: _part(
            CountryAssessment,
            "assessment",
            id=country_assessment.pk,
            item_ref=no_item,
            a=Cast("legacy_score", TextField()),
            b=Cast(_text(""), TextField()),
        ),
    }
    chosen = [kind for kind in KINDS if not kinds or kind in kinds]
    querysets = [parts[kind]() for kind in chosen]
    if user_id is not None:
        querysets = [queryset.filter(history_user_id=user_id) for queryset in querysets]
    first, *rest = querysets
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-e_at", "-e_hid")


@dataclass
class ActivityEntry:
    kind: str
    history_id: int
    at: object
    user: object
    operation: str
    reason: str
    item: AssessmentItem | None
    summary: str

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _summary(row: dict, users: dict) -> str:
    kind, a, b = row["e_kind"], row["e_a"] or "", row["e_b"] or ""
    if kind == "item":
        status = CHOICE_LABELS["status"].get(a, a)
        rating = CHOICE_LABELS["rating"].get(b, "")
        return f"{status}{' · ' + rating if rating else ''}"
    if kind == "comment":
        return a + ("…" if len(a) >= SNIPPET else "")
    if kind == "citation":
        return f"[@{a}{', ' + b if b else ''}] {OPERATIONS[row['e_op']]}"
    if kind == "assignment":
        assignee = users.get(int(b)) if b.isdigit() else None
        name = display_name(assignee) if assignee else "a deleted user"
        return f"{name} as {dict(AssignmentRole.choices).get(a, a).lower()} {OPERATIONS[row['e_op']]}"
    if kind == "edition":
        return f"Edition {a} {OPERATIONS[row['e_op']]}"
    return f"Legacy score {a}" if a else f"Assessment {OPERATIONS[row['e_op']]}"


def activity_entries(rows: list[dict]) -> list[ActivityEntry]:
    """Turn one page of feed rows into entries: two queries (people, items) whatever the page holds."""
    user_ids = {row["e_who"] for row in rows if row["e_who"]}
    user_ids |= {int(row["e_b"]) for row in rows if row["e_kind"] == "assignment" and (row["e_b"] or "").isdigit()}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    item_ids = {row["e_item"] for row in rows if row["e_item"]}
    items = (
        AssessmentItem.objects.select_related(
            "indicator", "country_assessment__country", "country_assessment__cycle"
        ).in_bulk(item_ids)
        if item_ids
        else {}
    )
    return [
        ActivityEntry(
            kind=row["e_kind"],
            history_id=row["e_hid"],
            at=row["e_at"],
            user=users.get(row["e_who"]),
            operation=OPERATIONS.get(row["e_op"], row["e_op"]),
            reason=row["e_reason"] or "",
            item=items.get(row["e_item"]),
            summary=_summary(row, users),
        )
        for row in rows
    ]
