"""Justified changes: a rating that differs from the previous cycle's needs a change rationale citing a source
dated inside the coverage period, unless an editor waived it (with a reason, recorded in the history)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from assessments.citations.syntax import extract_citations
from assessments.models import AssessmentItem, ItemKind, Rating, Source
from assessments.workflow import permissions
from assessments.workflow.previous import PreviousCycle, previous_cycle_item

from .evidence import in_coverage_period, source_issued
from .models import RatingChangeWaiver


def rating_changed(item: AssessmentItem, previous_rating: str | None) -> bool:
    """Whether the item's rating differs from a known previous rating (a new or unrated item has no change)."""
    return bool(item.kind == ItemKind.INDICATOR and item.rating and previous_rating and item.rating != previous_rating)


def rationale_sources(text: str) -> list[Source]:
    """The library sources a rationale cites, in order of first citation (one query; none without citations)."""
    keys = list(dict.fromkeys(ref.key for ref in extract_citations(text)))
    if not keys:
        return []
    found = Source.objects.in_bulk(keys, field_name="key")
    return [found[key] for key in keys if key in found]


def _waiver(item: AssessmentItem) -> RatingChangeWaiver | None:
    try:
        return item.rating_change_waiver
    except RatingChangeWaiver.DoesNotExist:
        return None


def method_submission_problems(item: AssessmentItem, *, previous: PreviousCycle | None = None) -> list[str]:
    """What the method asks before an item may be submitted: a justified change of rating.

    The rule applies once editors have set the cycle's coverage period (the period the evidence must come from)."""
    if item.kind != ItemKind.INDICATOR or not item.rating or not item.country_assessment.cycle.has_coverage_period:
        return []
    previous = previous or previous_cycle_item(item)
    previous_rating = previous.item.rating if previous.item else None
    if not rating_changed(item, previous_rating):
        return []
    waiver = _waiver(item)
    if waiver is not None and waiver.covers(item):
        return []
    cycle = item.country_assessment.cycle
    change = f"The rating changed from {Rating(previous_rating).label} ({previous.year}) to {Rating(item.rating).label}"
    period = f"dated inside the coverage period ({cycle.coverage_start:%d %b %Y} – {cycle.coverage_end:%d %b %Y})"
    if not item.change_rationale.strip():
        return [f"{change}: say why in the change rationale, citing at least one source {period}."]
    sources = rationale_sources(item.change_rationale)
    if not sources:
        return [f"{change}: the change rationale must cite a source from the library, e.g. [@key]."]
    if not any(in_coverage_period(source_issued(source), cycle) for source in sources):
        return [f"{change}: the change rationale cites no source {period}."]
    return []


@dataclass(frozen=True)
class RatingChange:
    """An item whose rating differs from the previous cycle's, with what justifies it."""

    item: AssessmentItem
    previous_rating: str
    previous_year: int | None
    waiver: RatingChangeWaiver | None

    @property
    def direction(self) -> int:
        return 1 if Rating(self.item.rating).points > Rating(self.previous_rating).points else -1

    @property
    def is_waived(self) -> bool:
        return self.waiver is not None and self.waiver.covers(self.item)


@transaction.atomic
def rating_change_waive(*, item: AssessmentItem, user, reason: str) -> RatingChangeWaiver:
    """An editor waives the change rationale for the item's current rating, saying why."""
    current = AssessmentItem.objects.select_for_update(of=("self",)).select_related("indicator").get(pk=item.pk)
    if not permissions.is_editor(user):
        raise PermissionDenied("Only editors waive a change rationale.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason for waiving the change rationale.")
    if current.kind != ItemKind.INDICATOR or not current.rating:
        raise ValidationError("Only a rated indicator can have its change rationale waived.")
    waiver = RatingChangeWaiver.objects.filter(item=current).first() or RatingChangeWaiver(item=current)
    waiver.rating = current.rating
    waiver.reason = reason
    waiver.waived_by = user
    waiver.full_clean()
    waiver._history_user = user
    waiver._change_reason = f"change rationale waived for {Rating(current.rating).label}: {reason}"[:100]
    waiver.save()
    return waiver


def annex_rating_changes(country_assessment, indicator_items: list[AssessmentItem]) -> dict[int, dict]:
    """item id → what the annex's data export says about its change of rating (one query; none without a
    previous cycle): the previous cycle and rating, and the change rationale with the source keys it cites."""
    cycle = country_assessment.cycle
    if cycle.previous_id is None or not indicator_items:
        return {}
    previous = dict(
        AssessmentItem.objects.filter(
            country_assessment__cycle_id=cycle.previous_id,
            country_assessment__country_id=country_assessment.country_id,
            kind=ItemKind.INDICATOR,
        )
        .exclude(rating="")
        .values_list("indicator__code", "rating")
    )
    changes = {}
    for item in indicator_items:
        before = previous.get(item.indicator.continues_code)  # the indicator it continues, maybe renamed
        if rating_changed(item, before):
            changes[item.pk] = {
                "previous_cycle": cycle.previous.year,
                "previous_rating": Rating(before).label,
                "rationale": item.change_rationale.strip(),
                "sources": list(dict.fromkeys(ref.key for ref in extract_citations(item.change_rationale))),
            }
    return changes
