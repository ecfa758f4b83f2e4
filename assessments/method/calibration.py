"""Calibration: one indicator across every country of a cycle, and a consistency report over all indicators.

Every read here takes a fixed number of queries, whatever the number of countries."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from assessments.models import AssessmentItem, Citation, CountryAssessment, Cycle, Indicator, ItemKind, Rating, Source

from .evidence import IssuedDate, ItemEvidence, evidence_by_item
from .models import RatingChangeWaiver
from .regions import region_of

CITATION_OR_FOOTNOTE = re.compile(r"\^?\[[^\[\]]*\]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
MARKDOWN_MARKS = re.compile(r"[*_#>`]+")


def first_sentences(notes: str, count: int = 2, limit: int = 200) -> str:
    """The first sentences of notes as plain text, without citations, at most `limit` characters."""
    text = CITATION_OR_FOOTNOTE.sub("", notes)
    text = " ".join(MARKDOWN_MARKS.sub("", text).split())
    sentences = SENTENCE_END.split(text)
    start = " ".join(sentences[:count]).strip()
    return start if len(start) <= limit else start[: limit - 1].rsplit(" ", 1)[0] + "…"


def _points(rating: str) -> int | None:
    return Rating(rating).points if rating else None


@dataclass
class CalibrationRow:
    item: AssessmentItem
    country_code: str
    country_name: str
    region: str
    rating: str
    previous_rating: str
    evidence: ItemEvidence
    notes_start: str
    waiver: RatingChangeWaiver | None = None

    @property
    def change(self) -> int | None:
        """Points gained (+) or lost (−) since the previous cycle; None when either rating is missing."""
        if not self.rating or not self.previous_rating:
            return None
        return _points(self.rating) - _points(self.previous_rating)

    @property
    def newest(self) -> IssuedDate | None:
        return self.evidence.newest

    @property
    def is_waived(self) -> bool:
        return self.waiver is not None and self.waiver.covers(self.item)


# Sort keys; rows without the value (None) always go last, whichever the direction.
SORTS = {
    "country": lambda row: row.country_name,
    "region": lambda row: row.region,
    "rating": lambda row: -_points(row.rating) if row.rating else None,
    "previous": lambda row: -_points(row.previous_rating) if row.previous_rating else None,
    "change": lambda row: row.change,
    "evidence": lambda row: row.newest.sort_key if row.newest else None,
}


def _previous_ratings(cycle: Cycle, codes: QuerySet | list | None, country_ids) -> dict[tuple[int, str], str]:
    """(country id, indicator code) → rating in the previous cycle (one query; none without a previous cycle)."""
    if cycle.previous_id is None:
        return {}
    rows = AssessmentItem.objects.filter(
        country_assessment__cycle_id=cycle.previous_id,
        country_assessment__country_id__in=country_ids,
        kind=ItemKind.INDICATOR,
    )
    if codes is not None:
        rows = rows.filter(indicator__code__in=codes)
    return {
        (country_id, code): rating
        for country_id, code, rating in rows.values_list(
            "country_assessment__country_id", "indicator__code", "rating"
        ).order_by()
    }


def calibration_rows(
    *, cycle: Cycle, indicator: Indicator, assessments: QuerySet[CountryAssessment]
) -> list[CalibrationRow]:
    """The indicator in every assessment of `assessments` (the ones the user may see): four queries."""
    items = list(
        AssessmentItem.objects.filter(country_assessment__in=assessments, indicator=indicator)
        .select_related("country_assessment__country", "country_assessment__cycle", "indicator", "rating_change_waiver")
        .order_by("country_assessment__country__name")
    )
    country_ids = [item.country_assessment.country_id for item in items]
    continues = indicator.continues_code  # the previous cycle's indicator it continues (None: new)
    previous = _previous_ratings(cycle, [continues], country_ids) if continues else {}
    evidence = evidence_by_item([item.pk for item in items], cycle)
    rows = []
    for item in items:
        country = item.country_assessment.country
        try:
            waiver = item.rating_change_waiver
        except RatingChangeWaiver.DoesNotExist:
            waiver = None
        rows.append(
            CalibrationRow(
                item=item,
                country_code=country.code,
                country_name=country.name,
                region=region_of(country.code),
                rating=item.rating,
                previous_rating=previous.get((country.pk, continues), ""),
                evidence=evidence[item.pk],
                notes_start=first_sentences(item.notes),
                waiver=waiver,
            )
        )
    return rows


def filter_and_sort(rows: list[CalibrationRow], *, rating: str = "", region: str = "", sort: str = "country"):
    if rating == "none":
        rows = [row for row in rows if not row.rating]
    elif rating:
        rows = [row for row in rows if row.rating == rating]
    if region:
        rows = [row for row in rows if row.region == region]
    key = SORTS.get(sort.lstrip("-"), SORTS["country"])
    rows = sorted(rows, key=lambda row: row.country_name)  # ties stay in country order
    known = sorted((row for row in rows if key(row) is not None), key=key, reverse=sort.startswith("-"))
    return known + [row for row in rows if key(row) is None]


# --- consistency ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rated:
    """One country's rating of one indicator, as the consistency report needs it."""

    item_id: int
    country_code: str
    country_name: str
    rating: str
    previous_rating: str

    @property
    def direction(self) -> int:
        if not self.rating or not self.previous_rating:
            return 0
        change = _points(self.rating) - _points(self.previous_rating)
        return (change > 0) - (change < 0)


@dataclass
class OppositeMoves:
    """Countries that rose and countries that fell on one indicator while citing the same source."""

    source: Source
    rose: list[Rated]
    fell: list[Rated]


@dataclass
class Outlier:
    """A country whose rating differs from every other country citing its key source for the indicator."""

    source: Source
    country: Rated
    others: list[Rated]


@dataclass
class IndicatorConsistency:
    indicator: Indicator
    opposite_moves: list[OppositeMoves] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.opposite_moves) + len(self.outliers)


@dataclass
class ConsistencyReport:
    cycle: Cycle
    indicators: list[IndicatorConsistency]
    countries: int

    @property
    def findings(self) -> list[IndicatorConsistency]:
        return [entry for entry in self.indicators if entry.count]

    @property
    def count(self) -> int:
        return sum(entry.count for entry in self.indicators)


MIN_OTHERS = 2  # an outlier differs from at least two other countries citing the same key source


def key_sources(citations: list[tuple[int, int]]) -> dict[int, int]:
    """item id → the source it cites most often (the first cited among equals), from (item, source) in order."""
    counts: dict[int, Counter] = defaultdict(Counter)
    first: dict[tuple[int, int], int] = {}
    for position, (item_id, source_id) in enumerate(citations):
        counts[item_id][source_id] += 1
        first.setdefault((item_id, source_id), position)
    return {
        item_id: min(counter, key=lambda source_id: (-counter[source_id], first[(item_id, source_id)]))
        for item_id, counter in counts.items()
    }


def consistency_report(*, cycle: Cycle, assessments: QuerySet[CountryAssessment]) -> ConsistencyReport:
    """Per indicator: opposite moves with the same evidence, and outliers among countries citing a key source.

    Four queries whatever the number of countries: indicators, items, previous ratings, citations."""
    indicators = list(Indicator.objects.for_cycle(cycle))
    rows = list(
        AssessmentItem.objects.filter(country_assessment__in=assessments, kind=ItemKind.INDICATOR)
        .exclude(rating="")
        .values_list(
            "pk",
            "indicator_id",
            "indicator__code",
            "rating",
            "country_assessment__country_id",
            "country_assessment__country__code",
            "country_assessment__country__name",
        )
        .order_by("country_assessment__country__name")
    )
    country_ids = {row[4] for row in rows}
    previous = _previous_ratings(cycle, None, country_ids)
    continues = {indicator.code: indicator.continues_code for indicator in indicators}  # renamed or new ones
    rated: dict[int, Rated] = {}
    by_indicator: dict[int, list[Rated]] = defaultdict(list)
    for pk, indicator_id, code, rating, country_id, country_code, country_name in rows:
        entry = Rated(pk, country_code, country_name, rating, previous.get((country_id, continues.get(code)), ""))
        rated[pk] = entry
        by_indicator[indicator_id].append(entry)
    rows = list(
        Citation.objects.filter(item_id__in=rated.keys(), source__isnull=False)
        .values_list("item_id", "source_id", "source__key", "source__title")
        .order_by("item_id", "position")
    ) if rated else []  # fmt: skip
    sources = {source_id: Source(pk=source_id, key=key, title=title) for _, source_id, key, title in rows}
    citations = [(item_id, source_id) for item_id, source_id, _, _ in rows]
    cited: dict[int, set[int]] = defaultdict(set)
    for item_id, source_id in citations:
        cited[item_id].add(source_id)
    key_of = key_sources(citations)

    found: list[tuple[int, str, int, object]] = []  # (indicator id, kind, source id, finding without source)
    for indicator_id, entries in by_indicator.items():
        citing: dict[int, list[Rated]] = defaultdict(list)
        for entry in entries:
            for source_id in cited[entry.item_id]:
                citing[source_id].append(entry)
        for source_id, group in citing.items():
            rose = [entry for entry in group if entry.direction > 0]
            fell = [entry for entry in group if entry.direction < 0]
            if rose and fell:
                found.append((indicator_id, "moves", source_id, (rose, fell)))
        for entry in entries:
            source_id = key_of.get(entry.item_id)
            if source_id is None:
                continue
            others = [other for other in citing[source_id] if other.item_id != entry.item_id]
            if len(others) >= MIN_OTHERS and all(other.rating != entry.rating for other in others):
                found.append((indicator_id, "outlier", source_id, (entry, others)))

    report = {indicator.pk: IndicatorConsistency(indicator=indicator) for indicator in indicators}
    for indicator_id, kind, source_id, finding in found:
        if kind == "moves":
            report[indicator_id].opposite_moves.append(OppositeMoves(sources[source_id], *finding))
        else:
            report[indicator_id].outliers.append(Outlier(sources[source_id], *finding))
    for entry in report.values():
        entry.opposite_moves.sort(key=lambda finding: finding.source.key)
        entry.outliers.sort(key=lambda finding: (finding.country.country_name, finding.source.key))
    return ConsistencyReport(cycle=cycle, indicators=list(report.values()), countries=len(country_ids))
