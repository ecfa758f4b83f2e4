"""Open data: published ratings and scores as CSV and JSON, and the payloads of the read-only JSON API."""

import csv
import io
from typing import Any

from assessments.method.codebook import methodology_for_year
from assessments.models import Edition, Rating, Trend

from .published import PublishedCountry

CSV_COLUMNS = [
    "cycle",
    "country_code",
    "country_name",
    "edition",
    "published_at",
    "score",
    "previous_score",
    "score_change",
    "thematic_area",
    "indicator_code",
    "indicator_title",
    "rating",
    "trend",
]
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _label(choices, value: str) -> str:
    return choices(value).label if value else ""


def published_csv(countries: list[PublishedCountry]) -> str:
    """One row per country and indicator (long format), countries by name, indicators in framework order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for country in countries:
        for indicator in country.indicators:
            row = [
                country.year,
                country.code,
                country.name,
                country.edition,
                country.published_at.isoformat(),
                country.score,
                country.previous_score,
                country.score_change,
                indicator.thematic_area,
                indicator.code,
                indicator.title,
                _label(Rating, indicator.rating),
                _label(Trend, indicator.trend),
            ]
            writer.writerow([csv_safe("" if value is None else value) for value in row])
    return buffer.getvalue()


def country_summary(country: PublishedCountry) -> dict[str, Any]:
    return {
        "country": {"code": country.code, "name": country.name},
        "cycle": country.year,
        "edition": country.edition,
        "published_at": country.published_at,
        "score": country.score,
        "previous_score": country.previous_score,
        "score_change": country.score_change,
    }


def published_json(year: int, countries: list[PublishedCountry], *, links: dict[str, str]) -> dict[str, Any]:
    """Scores and ratings of every published country of a cycle (no notes: the API has the full editions)."""
    return {
        "cycle": year,
        "links": links,
        "countries": [
            {
                **country_summary(country),
                "ratings": [
                    {
                        "code": indicator.code,
                        "thematic_area": indicator.thematic_area,
                        "title": indicator.title,
                        "rating": _label(Rating, indicator.rating),
                        "trend": _label(Trend, indicator.trend),
                    }
                    for indicator in country.indicators
                ],
            }
            for country in countries
        ],
        "methodology": methodology_for_year(year),  # issue 19: the codebook the ratings follow
    }


def edition_document(edition: Edition, *, links: dict[str, str | None]) -> dict[str, Any]:
    """The edition's snapshot as frozen, plus when it was published, its hash and links."""
    snapshot = edition.snapshot if isinstance(edition.snapshot, dict) else {"data": edition.snapshot}
    extras = {
        "edition": edition.number,
        "published_at": edition.published_at,
        "errata": edition.errata,
        "content_hash": edition.content_hash,
        "links": links,
    }
    return {**snapshot, **{key: value for key, value in extras.items() if key not in snapshot}}
