"""A region to look at: the demo (Korea 2022 approved, 2019 legacy score) plus more countries in 2022."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AssessmentItem, Country, CountryAssessment, Cycle, ItemStatus, Rating, Trend
from tests.factories import make_country_assessment


def fill(assessment: CountryAssessment, *, seed: int = 0, status: str = ItemStatus.APPROVED) -> CountryAssessment:
    """Give every indicator of an assessment a (seeded random) rating, trend, notes and status."""
    rng = random.Random(seed)
    items = list(assessment.items.indicators().select_related("indicator").order_by("indicator__position"))
    for item in items:
        item.rating = rng.choice(Rating.values)
        item.trend = rng.choice(Trend.values)
        item.notes = f"Notes on {item.indicator.code} for {assessment.country.name}."
        item.status = status
    AssessmentItem.objects.bulk_update(items, ["rating", "trend", "notes", "status"])
    assessment.items.narrative().update(status=status, notes="Narrative.")
    return assessment


def query_counts(client, urls: list[str]) -> dict[str, int]:
    """How many queries each page costs (each must answer 200)."""
    result = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        result[url] = len(queries)
    return result


def add_countries(cycle: Cycle, count: int, *, status: str = ItemStatus.APPROVED) -> list[CountryAssessment]:
    """`count` more filled country assessments in the cycle (real countries from the demo's list)."""
    taken = CountryAssessment.objects.filter(cycle=cycle).values("country")
    countries = Country.objects.exclude(pk__in=taken).order_by("code")[:count]
    return [
        fill(make_country_assessment(country=country, cycle=cycle), seed=index, status=status)
        for index, country in enumerate(countries)
    ]


@pytest.fixture
def cycle_2022(demo) -> Cycle:
    return Cycle.objects.get(year=2022)
