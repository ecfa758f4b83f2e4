"""Dates of evidence: when a cited source was issued, whether it falls in a cycle's coverage period, and the
freshness of each item's evidence (newest cited date, "no evidence from this period", "undated")."""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from assessments.models import AssessmentItem, Citation, CountryAssessment, Cycle, ItemKind

NO_EVIDENCE_FROM_PERIOD = "no evidence from this period"
UNDATED = "undated"
NO_SOURCES = "no sources cited"


@dataclass(frozen=True, order=True)
class IssuedDate:
    """A source's issued date as precise as it is known (year; year and month; or a full date)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, year: int | None, month: int | None = None, day: int | None = None) -> "IssuedDate | None":
        if not year:
            return None
        return cls(year, month or None, (day or None) if month else None)

    @property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        month = self.month or 12
        last_day = calendar.monthrange(self.year, month)[1]
        return date(self.year, month, min(self.day, last_day) if self.day else last_day)

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.latest, self.earliest)

    def __str__(self) -> str:
        if self.month and self.day:
            return self.earliest.isoformat()
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return str(self.year)

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """Whether the source may have been issued inside [start, end] (an open end is unbounded)."""
        return (start is None or self.latest >= start) and (end is None or self.earliest <= end)


def source_issued(source) -> IssuedDate | None:
    return IssuedDate.of(source.issued_year, source.issued_month, source.issued_day)


def in_coverage_period(issued: IssuedDate | None, cycle: Cycle) -> bool:
    """Whether a date lies in the cycle's coverage period; without a period any known date counts."""
    if issued is None:
        return False
    return issued.overlaps(cycle.coverage_start, cycle.coverage_end)


@dataclass
class ItemEvidence:
    """What an item's cited sources say about how fresh its evidence is."""

    item_id: int
    dates: list[IssuedDate] = field(default_factory=list)
    undated: int = 0
    source_ids: set[int] = field(default_factory=set)
    in_period: int = 0
    period_known: bool = False

    @property
    def newest(self) -> IssuedDate | None:
        return max(self.dates, key=lambda issued: issued.sort_key) if self.dates else None

    @property
    def cited(self) -> int:
        return len(self.dates) + self.undated

    @property
    def flags(self) -> list[str]:
        flags = []
        if not self.cited:
            return [NO_SOURCES]
        if self.period_known and not self.in_period:
            flags.append(NO_EVIDENCE_FROM_PERIOD)
        if self.undated:
            flags.append(UNDATED)
        return flags


def evidence_by_item(item_ids: Iterable[int], cycle: Cycle) -> dict[int, ItemEvidence]:
    """Evidence of each item, from one query over their citations (unresolved keys are ignored)."""
    item_ids = list(item_ids)
    evidence = {pk: ItemEvidence(item_id=pk, period_known=cycle.has_coverage_period) for pk in item_ids}
    if not item_ids:
        return evidence
    rows = (
        Citation.objects.filter(item_id__in=item_ids, source__isnull=False)
        .values_list("item_id", "source_id", "source__issued_year", "source__issued_month", "source__issued_day")
        .order_by()
    )
    return _collect(evidence, rows, cycle)


def _collect(evidence: dict[int, ItemEvidence], rows, cycle: Cycle) -> dict[int, ItemEvidence]:
    seen: dict[int, set[int]] = defaultdict(set)
    for item_id, source_id, year, month, day in rows:
        if source_id in seen[item_id]:
            continue  # a source cited twice counts once
        seen[item_id].add(source_id)
        entry = evidence[item_id]
        entry.source_ids.add(source_id)
        issued = IssuedDate.of(year, month, day)
        if issued is None:
            entry.undated += 1
            continue
        entry.dates.append(issued)
        if in_coverage_period(issued, cycle):
            entry.in_period += 1
    return evidence


@dataclass(frozen=True)
class FreshnessRow:
    item: AssessmentItem
    evidence: ItemEvidence

    @property
    def flags(self) -> list[str]:
        return self.evidence.flags


def assessment_freshness(country_assessment: CountryAssessment, *, items=None) -> list[FreshnessRow]:
    """Every indicator of the assessment with its evidence freshness, in framework order.

    One query when the page passes the items it has loaded (with their indicators), two otherwise; the result
    is kept on the assessment object, so the country page's list and the publish gate share it."""
    cached = country_assessment.__dict__.get("_method_freshness")
    if cached is not None:
        return cached
    if items is None:
        items = AssessmentItem.objects.filter(country_assessment=country_assessment).select_related("indicator")
    items = sorted(
        (item for item in items if item.kind == ItemKind.INDICATOR), key=lambda item: item.indicator.position
    )
    for item in items:
        item.country_assessment = country_assessment  # for item URLs, without a query per item
    evidence = evidence_by_item([item.pk for item in items], country_assessment.cycle)
    rows = [FreshnessRow(item=item, evidence=evidence[item.pk]) for item in items]
    country_assessment.__dict__["_method_freshness"] = rows
    return rows


def freshness_warnings(country_assessment: CountryAssessment, *, items=None) -> list[str]:
    """Warnings for the publish gate (editors decide): indicators whose evidence is stale or undated."""
    cycle = country_assessment.cycle
    warnings = []
    for row in assessment_freshness(country_assessment, items=items):
        flags = [flag for flag in row.flags if flag != NO_SOURCES]
        if NO_EVIDENCE_FROM_PERIOD in flags:
            newest = row.evidence.newest
            warnings.append(
                f"{row.item.indicator.code}: no evidence from the coverage period "
                f"{cycle.coverage_start:%d %b %Y} – {cycle.coverage_end:%d %b %Y}"
                + (f" (newest cited source: {newest})" if newest else "")
            )
        if UNDATED in flags:
            count = row.evidence.undated
            warnings.append(f"{row.item.indicator.code}: cites {count} undated source{'s' if count > 1 else ''}")
    return warnings
