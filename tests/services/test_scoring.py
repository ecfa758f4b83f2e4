import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.framework.scoring import (
    assessment_score,
    check_trends,
    derive_trend,
    score_from_points,
    score_from_ratings,
)
from assessments.models import AssessmentItem, ItemKind, Rating, Trend
from assessments.workflow.items import country_assessment_create
from tests.factories import CountryFactory, CycleFactory


def test_score_rounds_half_up():
    assert score_from_points(105, 36) == 73  # 72.9
    assert score_from_points(1, 8) == 3  # 3.125
    assert score_from_points(9, 8) == 28  # 28.125
    assert score_from_points(1, 2) == 13  # 12.5 rounds up, not to even
    assert score_from_points(5, 8) == 16  # 15.625


def test_score_of_nothing_rated_is_none():
    assert score_from_ratings(["", ""]) is None


@given(st.lists(st.sampled_from(Rating.values), min_size=1, max_size=36))
def test_score_is_between_0_and_100(ratings):
    assert 0 <= score_from_ratings(ratings) <= 100


@pytest.mark.parametrize(
    ("current", "previous", "trend"),
    [
        ("strong", "fair", Trend.INCREASE),
        ("fair", "strong", Trend.DECREASE),
        ("weak", "weak", Trend.UNCHANGED),
        ("weak", None, Trend.NEW),
    ],
)
def test_derive_trend(current, previous, trend):
    assert derive_trend(current, previous) == trend


def test_korea_2022_score_previous_and_counts(korea_2022):
    summary = assessment_score(korea_2022)
    assert (summary.score, summary.previous_score, summary.change) == (73, 74, -1)
    assert [count for _, count in summary.counts_strongest_first] == [14, 11, 8, 0, 3]


def test_korea_trends_allow_the_published_2019_score(korea_2022):
    check = check_trends(korea_2022)
    assert check.ok, check.problems
    assert check.legacy_score_range == (73, 76)


def test_legacy_score_outside_the_trend_range_is_flagged(korea_2022):
    previous = korea_2022.cycle.previous.country_assessments.get(country=korea_2022.country)
    previous.legacy_score = 80
    previous.save()
    check = check_trends(korea_2022)
    assert [problem.message for problem in check.problems] == [
        "the published 2019 score 80 is outside the range 73–76 that this cycle's trends allow"
    ]


def test_impossible_trend_is_flagged(korea_2022):
    item = korea_2022.items.get(indicator__code="PM-3")  # Very Weak
    item.trend = Trend.INCREASE
    item.save()
    problems = check_trends(korea_2022).problems
    assert [(p.indicator_code, p.message) for p in problems] == [
        ("PM-3", "Increase is impossible from a Very Weak rating")
    ]


@pytest.mark.django_db
def test_trend_contradicting_known_previous_ratings_is_flagged():
    country = CountryFactory()
    first = CycleFactory(year=2040)
    second = CycleFactory(year=2043, previous=first)
    before = country_assessment_create(country=country, cycle=first, reason="test")
    after = country_assessment_create(country=country, cycle=second, reason="test")
    AssessmentItem.objects.filter(country_assessment=before, kind=ItemKind.INDICATOR).update(rating=Rating.FAIR)
    items = AssessmentItem.objects.filter(country_assessment=after, kind=ItemKind.INDICATOR)
    items.update(rating=Rating.STRONG, trend=Trend.INCREASE)
    items.filter(indicator__code="BC-1").update(trend=Trend.UNCHANGED)
    check = check_trends(after)
    assert [(p.indicator_code, p.message) for p in check.problems] == [
        ("BC-1", "trend is Unchanged but the rating went from Fair to Strong (Increase)")
    ]
    summary = assessment_score(after)
    assert (summary.score, summary.previous_score, summary.change) == (75, 50, 25)
