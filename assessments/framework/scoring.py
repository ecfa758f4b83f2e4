"""Scores, previous scores, derived trends and the consistency check of hand-entered trends."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from assessments.framework.models import MAX_POINTS, RATING_POINTS
from assessments.models import AssessmentItem, CountryAssessment, ItemKind, Rating, Trend


def score_from_ratings(ratings: Iterable[str]) -> int | None:
    """round-half-up(100 × points ÷ (4 × ratings)); None when nothing is rated."""
    rated = [rating for rating in ratings if rating]
    if not rated:
        return None
    points = sum(RATING_POINTS[rating] for rating in rated)
    return score_from_points(points, len(rated))


def score_from_points(points: int, indicator_count: int) -> int:
    exact = Decimal(100 * points) / Decimal(MAX_POINTS * indicator_count)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def derive_trend(current: str, previous: str | None) -> str:
    """The trend that follows from two ratings; New when the indicator had no previous rating."""
    if not current:
        return ""
    if not previous:
        return Trend.NEW
    difference = RATING_POINTS[current] - RATING_POINTS[previous]
    if difference > 0:
        return Trend.INCREASE
    if difference < 0:
        return Trend.DECREASE
    return Trend.UNCHANGED


@dataclass(frozen=True)
class ScoreSummary:
    score: int | None
    previous_score: int | None
    change: int | None
    rating_counts: dict[str, int]
    rated: int
    total: int

    @property
    def counts_strongest_first(self) -> list[tuple[Rating, int]]:
        return [(rating, self.rating_counts.get(rating.value, 0)) for rating in Rating.strongest_first()]


def previous_assessment(country_assessment: CountryAssessment) -> CountryAssessment | None:
    previous_cycle = country_assessment.cycle.previous
    if previous_cycle is None:
        return None
    return CountryAssessment.objects.filter(country=country_assessment.country, cycle=previous_cycle).first()


def previous_ratings(country_assessment: CountryAssessment) -> dict[str, str]:
    """Previous cycle's indicator code → its rating in the previous cycle's assessment of the same country (empty
    if unknown). Look an indicator up by its `continues_code`."""
    previous = previous_assessment(country_assessment)
    if previous is None:
        return {}
    return dict(
        AssessmentItem.objects.filter(country_assessment=previous, kind=ItemKind.INDICATOR)
        .exclude(rating="")
        .values_list("indicator__code", "rating")
    )


def assessment_score(country_assessment: CountryAssessment, *, ratings: Iterable[str] | None = None) -> ScoreSummary:
    """Score, previous score and change of a country assessment, in at most three queries."""
    return assessment_scores([country_assessment], ratings={country_assessment.pk: ratings} if ratings else None)[
        country_assessment.pk
    ]


def assessment_scores(
    country_assessments: Iterable[CountryAssessment], *, ratings: dict[int, Iterable[str]] | None = None
) -> dict[int, ScoreSummary]:
    """Scores of many country assessments in three queries, whatever their number."""
    assessments = list(country_assessments)
    if ratings is None:
        ratings = _ratings_by_assessment([assessment.pk for assessment in assessments])
    previous_by_key = {
        (previous.country_id, previous.cycle_id): previous
        for previous in CountryAssessment.objects.filter(
            country__in={assessment.country_id for assessment in assessments},
            cycle__in={assessment.cycle.previous_id for assessment in assessments if assessment.cycle.previous_id},
        )
    }
    previous_ratings_by_pk = _ratings_by_assessment([previous.pk for previous in previous_by_key.values()])
    summaries = {}
    for assessment in assessments:
        previous = previous_by_key.get((assessment.country_id, assessment.cycle.previous_id))
        previous_score = None
        if previous is not None:
            previous_score = score_from_ratings(previous_ratings_by_pk.get(previous.pk, []))
            if previous_score is None:
                previous_score = previous.legacy_score
        summaries[assessment.pk] = _summary(list(ratings.get(assessment.pk, [])), previous_score)
    return summaries


def _ratings_by_assessment(assessment_pks: list[int]) -> dict[int, list[str]]:
    ratings: dict[int, list[str]] = {pk: [] for pk in assessment_pks}
    if not assessment_pks:
        return ratings
    rows = AssessmentItem.objects.filter(country_assessment__in=assessment_pks, kind=ItemKind.INDICATOR).values_list(
        "country_assessment_id", "rating"
    )
    for pk, rating in rows:
        ratings[pk].append(rating)
    return ratings


def _summary(ratings: list[str], previous_score: int | None) -> ScoreSummary:
    score = score_from_ratings(ratings)
    change = score - previous_score if score is not None and previous_score is not None else None
    return ScoreSummary(
        score=score,
        previous_score=previous_score,
        change=change,
        rating_counts=dict(Counter(rating for rating in ratings if rating)),
        rated=sum(1 for rating in ratings if rating),
        total=len(ratings),
    )


@dataclass(frozen=True)
class TrendProblem:
    indicator_code: str
    message: str


@dataclass
class TrendCheck:
    problems: list[TrendProblem] = field(default_factory=list)
    legacy_score_range: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


# For each trend, the previous points it allows given the current points.
def _previous_points_allowed(trend: str, current_points: int) -> range:
    if trend == Trend.INCREASE:
        return range(0, current_points)
    if trend == Trend.DECREASE:
        return range(current_points + 1, MAX_POINTS + 1)
    if trend == Trend.UNCHANGED:
        return range(current_points, current_points + 1)
    return range(0)


def check_trends(country_assessment: CountryAssessment) -> TrendCheck:
    """List trends that contradict known previous ratings, or a legacy score the trends cannot produce."""
    items = list(
        AssessmentItem.objects.filter(country_assessment=country_assessment, kind=ItemKind.INDICATOR)
        .exclude(rating="")
        .select_related("indicator")
        .order_by("indicator__position")
    )
    check = TrendCheck()
    known = previous_ratings(country_assessment)
    if known:
        for item in items:
            before = known.get(item.indicator.continues_code)  # the indicator it continues, maybe renamed
            expected = derive_trend(item.rating, before)
            if item.trend and item.trend != expected:
                check.problems.append(
                    TrendProblem(
                        item.indicator.code,
                        f"trend is {Trend(item.trend).label} but the rating went from "
                        f"{_label(before)} to {Rating(item.rating).label} "
                        f"({Trend(expected).label})",
                    )
                )
        return check

    previous = previous_assessment(country_assessment)
    low = high = 0
    counted = 0
    for item in items:
        if not item.trend or item.trend == Trend.NEW:
            continue
        allowed = _previous_points_allowed(item.trend, RATING_POINTS[item.rating])
        if not allowed:
            check.problems.append(
                TrendProblem(
                    item.indicator.code,
                    f"{Trend(item.trend).label} is impossible from a {Rating(item.rating).label} rating",
                )
            )
            continue
        low += allowed[0]
        high += allowed[-1]
        counted += 1
    if counted and not check.problems:  # an impossible trend makes any range meaningless
        check.legacy_score_range = (score_from_points(low, counted), score_from_points(high, counted))
    if previous is not None and previous.legacy_score is not None and check.legacy_score_range:
        lowest, highest = check.legacy_score_range
        if not lowest <= previous.legacy_score <= highest:
            check.problems.append(
                TrendProblem(
                    "",
                    f"the published {previous.cycle.year} score {previous.legacy_score} is outside the range "
                    f"{lowest}–{highest} that this cycle's trends allow",
                )
            )
    return check


def _label(rating: str | None) -> str:
    return Rating(rating).label if rating else "no rating"
