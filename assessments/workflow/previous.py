"""The same item of the same country in the previous cycle, as last approved, and the trend that follows from it.

Staff of a new cycle see, copy and derive trends from what the previous cycle approved (and published), never from
a live draft: when an editor reopens a 2022 item to correct it, the 2025 editor keeps showing the approved text.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from assessments.framework.scoring import derive_trend
from assessments.models import AssessmentItem, CountryAssessment, ItemKind, ItemStatus


@dataclass(frozen=True)
class PreviousCycle:
    """What the previous cycle says about one item.

    `item` is the approved content of the same indicator (or the overview/conclusion) of the same country one
    cycle earlier: the item itself when it is approved, else its last approved revision (a history record with
    the same fields), else None. `legacy` means the previous assessment exists but only its published score is
    known, so trends are entered by hand.
    """

    year: int | None
    item: object | None
    legacy: bool = False

    @property
    def derives_trend(self) -> bool:
        """Whether the trend follows from the ratings (False: it is entered by hand)."""
        if self.legacy:
            return False
        return self.item is None or bool(self.item.rating)

    def derived_trend(self, rating: str) -> str | None:
        """The trend a rating gets against the previous cycle; None when the trend is entered by hand."""
        if not self.derives_trend:
            return None
        return derive_trend(rating, self.item.rating if self.item else None)

    @property
    def has_content(self) -> bool:
        return self.item is not None and bool(self.item.notes.strip() or self.item.rating)


def _slot(item: AssessmentItem) -> tuple[str, str]:
    """Where an item of the previous cycle sits: its kind and its indicator's code."""
    return (item.kind, item.indicator.code if item.kind == ItemKind.INDICATOR else "")


def _previous_slot(item: AssessmentItem) -> tuple[str, str | None]:
    """The slot of the previous cycle this item continues: an indicator follows its mapping (a renamed code
    continues the old one; an indicator new in the cycle continues none)."""
    return (item.kind, item.indicator.continues_code if item.kind == ItemKind.INDICATOR else "")


def previous_cycle_items(items: Iterable[AssessmentItem]) -> dict[int, PreviousCycle]:
    """PreviousCycle of each item (by pk), in at most three queries whatever the number of items.

    The items need `country_assessment__cycle` and `indicator` loaded."""
    items = list(items)
    result: dict[int, PreviousCycle] = {}
    wanted = {}
    for item in items:
        cycle = item.country_assessment.cycle
        if cycle.previous_id is None:
            result[item.pk] = PreviousCycle(year=None, item=None)
        else:
            wanted.setdefault((item.country_assessment.country_id, cycle.previous_id), []).append(item)
    if not wanted:
        return result
    found: dict[tuple[int, int], dict[tuple[str, str], AssessmentItem]] = {}
    years: dict[tuple[int, int], int] = {}
    for candidate in AssessmentItem.objects.filter(
        country_assessment__country_id__in={key[0] for key in wanted},
        country_assessment__cycle_id__in={key[1] for key in wanted},
    ).select_related("indicator", "country_assessment__cycle"):
        key = (candidate.country_assessment.country_id, candidate.country_assessment.cycle_id)
        found.setdefault(key, {})[_slot(candidate)] = candidate
        years[key] = candidate.country_assessment.cycle.year
    missing = [key for key in wanted if key not in found]
    legacy = set()
    if missing:  # assessed with a score only (legacy), or not assessed at all
        for country_id, cycle_id, year in CountryAssessment.objects.filter(
            country_id__in={key[0] for key in missing}, cycle_id__in={key[1] for key in missing}
        ).values_list("country_id", "cycle_id", "cycle__year"):
            legacy.add((country_id, cycle_id))
            years[country_id, cycle_id] = year
    candidates = [candidate for slots in found.values() for candidate in slots.values()]
    approved_revisions = _last_approved_revisions(
        [candidate.pk for candidate in candidates if candidate.status != ItemStatus.APPROVED]
    )
    for key, group in wanted.items():
        for item in group:
            if key in legacy:
                result[item.pk] = PreviousCycle(year=years[key], item=None, legacy=True)
            elif key not in found:
                result[item.pk] = PreviousCycle(year=None, item=None)  # not assessed then: everything is new
            else:
                candidate = found[key].get(_previous_slot(item))
                if candidate is not None and candidate.status != ItemStatus.APPROVED:
                    candidate = approved_revisions.get(candidate.pk)
                result[item.pk] = PreviousCycle(year=years[key], item=candidate)
    return result


def _last_approved_revisions(item_pks: list[int]) -> dict[int, object]:
    """The last approved history record of each item that is not approved now (reopened or never approved)."""
    if not item_pks:
        return {}
    revisions = {}
    records = (
        AssessmentItem.history.filter(id__in=item_pks, status=ItemStatus.APPROVED)
        .order_by("id", "history_date", "history_id")
        .only("id", "rating", "trend", "notes", "status", "version", "kind", "history_date")
    )
    for record in records:
        revisions[record.id] = record  # ordered oldest first: the last one wins
    return revisions


def previous_cycle_item(item: AssessmentItem) -> PreviousCycle:
    """The PreviousCycle of one item."""
    return previous_cycle_items([item])[item.pk]
