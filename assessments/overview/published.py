"""Published data for the public and the open data: read only from frozen `Edition.snapshot` JSON.

Live items are never read here, so a draft can never reach a public page, a download or the API. Each
country assessment counts with its latest edition.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse

from assessments.models import Cycle, Edition

from .grid import Cell, Column, Distribution, Heatmap, Row, area_groups, distributions, rating_value, trend_value


def latest_editions() -> QuerySet[Edition]:
    """The newest edition of every country assessment (one query, however many there are)."""
    newer = Edition.objects.filter(country_assessment=OuterRef("country_assessment"), number__gt=OuterRef("number"))
    return Edition.objects.filter(~Exists(newer))


def published_cycles() -> QuerySet[Cycle]:
    """Cycles with at least one published edition, newest first."""
    return Cycle.objects.filter(Exists(Edition.objects.filter(country_assessment__cycle=OuterRef("pk")))).order_by(
        "-year"
    )


@dataclass(frozen=True)
class PublishedIndicator:
    code: str
    thematic_area: str
    title: str
    rating: str  # Rating value ("very_strong"), "" if absent
    trend: str  # Trend value
    notes_html: str  # as frozen in the snapshot; sanitise again before marking safe
    footnotes: tuple[int, ...] = ()


@dataclass
class PublishedCountry:
    """One country's latest published edition, as its snapshot records it."""

    code: str  # the country's code in r2p (identity, used for links)
    name: str
    year: int
    edition: int
    published_at: datetime
    score: int | None
    previous_score: int | None
    score_change: int | None
    indicators: list[PublishedIndicator] = field(default_factory=list)
    footnotes: dict[int, str] = field(default_factory=dict)
    annex_url: str | None = None
    publication_date: date | None = None  # the date the annex carries (an archive edition's original date)

    def indicator(self, code: str) -> PublishedIndicator | None:
        return next((indicator for indicator in self.indicators if indicator.code == code), None)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def annex_url(edition: Edition) -> str | None:
    """The published annex page of an edition, once the publishing pages provide one."""
    try:
        return edition.get_absolute_url()
    except NoReverseMatch:
        return None


def published_country(edition: Edition) -> PublishedCountry:
    """Needs the edition's country assessment with country and cycle loaded."""
    snapshot = edition.snapshot if isinstance(edition.snapshot, dict) else {}
    country = snapshot.get("country") or {}
    indicators = [
        PublishedIndicator(
            code=str(entry.get("code", "")),
            thematic_area=str(entry.get("thematic_area") or ""),
            title=str(entry.get("title") or ""),
            rating=rating_value(entry.get("rating")),
            trend=trend_value(entry.get("trend")),
            notes_html=str(entry.get("notes_html") or ""),
            footnotes=tuple(number for number in (_int_or_none(n) for n in entry.get("footnotes") or []) if number),
        )
        for entry in snapshot.get("indicators") or []
        if isinstance(entry, dict) and entry.get("code")
    ]
    footnotes = {}
    for entry in snapshot.get("footnotes") or []:
        if isinstance(entry, dict) and (number := _int_or_none(entry.get("number"))) is not None:
            footnotes[number] = str(entry.get("text") or "")
    assessment = edition.country_assessment
    return PublishedCountry(
        code=assessment.country.code,
        name=str(country.get("name") or assessment.country.name),
        year=assessment.cycle.year,
        edition=edition.number,
        published_at=edition.published_at,
        publication_date=edition.publication_date,
        score=_int_or_none(snapshot.get("score")),
        previous_score=_int_or_none(snapshot.get("previous_score")),
        score_change=_int_or_none(snapshot.get("score_change")),
        indicators=indicators,
        footnotes=footnotes,
        annex_url=annex_url(edition),
    )


def published_countries(cycle: Cycle) -> list[PublishedCountry]:
    """Every country of the cycle with a published edition, by name (one query)."""
    editions = (
        latest_editions()
        .filter(country_assessment__cycle=cycle)
        .select_related("country_assessment__country", "country_assessment__cycle")
        .defer("html")
        .order_by("country_assessment__country__name")
    )
    countries = [published_country(edition) for edition in editions]
    return sorted(countries, key=lambda country: country.name.casefold())


def published_columns(countries: list[PublishedCountry], year: int | None = None) -> list[Column]:
    """The indicators in framework order, as the snapshots list them; with `year`, linked to their public page."""
    columns: dict[str, Column] = {}
    for country in countries:
        for indicator in country.indicators:
            if indicator.code not in columns:
                url = reverse("public:regional-indicator", args=[year, indicator.code]) if year else ""
                columns[indicator.code] = Column(indicator.code, indicator.title, indicator.thematic_area, url)
    return list(columns.values())


def published_heatmap(cycle: Cycle, countries: list[PublishedCountry]) -> Heatmap:
    """Countries × indicators of the published editions; a cell links to that indicator across countries."""
    heatmap = Heatmap(areas=area_groups(published_columns(countries, cycle.year)), rows=[])
    for country in countries:
        by_code = {indicator.code: indicator for indicator in country.indicators}
        cells = []
        for column in heatmap.columns:
            indicator = by_code.get(column.code)
            if indicator is None:
                cells.append(Cell(column))
            else:
                cells.append(Cell(column, indicator.rating, indicator.trend, f"{column.url}#{country.code}"))
        heatmap.rows.append(
            Row(
                code=country.code,
                name=country.name,
                url=country.annex_url or "",
                score=country.score,
                previous_score=country.previous_score,
                change=country.score_change,
                cells=cells,
            )
        )
    return heatmap


def published_distributions(countries: list[PublishedCountry]) -> list[Distribution]:
    area_names = list(dict.fromkeys(column.area for column in published_columns(countries)))
    pairs = ((indicator.thematic_area, indicator.rating) for country in countries for indicator in country.indicators)
    return distributions(pairs, area_names)


def score_rows(countries: list[PublishedCountry]) -> list[Row]:
    return [
        Row(
            code=country.code,
            name=country.name,
            url=country.annex_url or "",
            score=country.score,
            previous_score=country.previous_score,
            change=country.score_change,
        )
        for country in countries
    ]
