"""The same item of the same country in the previous cycle, and the trend that follows from it."""

from dataclasses import dataclass

from assessments.models import AssessmentItem, CountryAssessment, ItemKind
from assessments.services.scoring import derive_trend


@dataclass(frozen=True)
class PreviousCycle:
    """What the previous cycle says about one item.

    `item` is the same indicator (or the overview/conclusion) of the same country one cycle earlier.
    `legacy` means the previous assessment exists but only its published score is known, so trends
    are entered by hand.
    """

    year: int | None
    item: AssessmentItem | None
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


def previous_cycle_item(item: AssessmentItem) -> PreviousCycle:
    """One query in the usual case (two when the previous cycle has no such item)."""
    assessment = item.country_assessment
    previous_cycle_id = assessment.cycle.previous_id
    if previous_cycle_id is None:
        return PreviousCycle(year=None, item=None)
    candidates = AssessmentItem.objects.filter(
        country_assessment__country_id=assessment.country_id,
        country_assessment__cycle_id=previous_cycle_id,
        kind=item.kind,
    ).select_related("country_assessment__cycle")
    if item.kind == ItemKind.INDICATOR:
        candidates = candidates.filter(indicator__code=item.indicator.code)
    previous = candidates.first()
    if previous is not None:
        return PreviousCycle(year=previous.country_assessment.cycle.year, item=previous)
    row = (
        CountryAssessment.objects.filter(country_id=assessment.country_id, cycle_id=previous_cycle_id)
        .values_list("cycle__year", "items__pk")
        .first()
    )
    if row is None:
        return PreviousCycle(year=None, item=None)  # the country was not assessed: everything is new
    year, any_item = row
    return PreviousCycle(year=year, item=None, legacy=any_item is None)
