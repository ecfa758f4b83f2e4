"""Agreement between two ratings of the same items (issue 19, part 5): the statistics, and the figures of a
cycle's second assessments (per indicator, per pair of researchers, overall)."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from assessments.accounts.services import display_name
from assessments.models import Rating

SCALE = [rating.value for rating in Rating.strongest_first()]  # ordinal: distance between levels is meaningful


def _disagreement(a: str, b: str, weights: str) -> float:
    distance = abs(Rating(a).points - Rating(b).points)
    return float(distance**2 if weights == "quadratic" else distance)


def exact_agreement(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Share of pairs with the same rating; None without pairs."""
    pairs = list(pairs)
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def weighted_kappa(pairs: Iterable[tuple[str, str]], *, weights: str = "quadratic") -> float | None:
    """Cohen's weighted kappa of two raters over the five-level scale (weights "quadratic" or "linear").

    1 − observed disagreement / disagreement expected from the two raters' own distributions of ratings.
    None when it is undefined: no pairs, or both raters give one and the same rating to everything."""
    if weights not in ("quadratic", "linear"):
        raise ValueError("weights must be 'quadratic' or 'linear'")
    pairs = list(pairs)
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(_disagreement(a, b, weights) for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[a] * second[b] * _disagreement(a, b, weights) for a in first for b in second) / (n * n)
    if expected == 0:
        return None
    return 1 - observed / expected


# --- a cycle's second assessments ----------------------------------------------------------------------------


@dataclass
class AgreementFigures:
    """Exact agreement and weighted kappa (quadratic) of a group of rated pairs."""

    label: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    key: object = None

    @property
    def count(self) -> int:
        return len(self.pairs)

    @property
    def agreed(self) -> int:
        return sum(a == b for a, b in self.pairs)

    @property
    def exact(self) -> float | None:
        return exact_agreement(self.pairs)

    @property
    def kappa(self) -> float | None:
        return weighted_kappa(self.pairs)

    @property
    def exact_percent(self) -> int | None:
        exact = self.exact
        return None if exact is None else round(exact * 100)


@dataclass
class CycleAgreement:
    overall: AgreementFigures
    by_indicator: list[AgreementFigures]
    by_pair: list[AgreementFigures]
    rated: list  # every rated second assessment, disagreements first
    requested: list  # waiting for their blind rating

    @property
    def disagreements(self) -> list:
        return [second for second in self.rated if not second.agrees]

    @property
    def to_settle(self) -> int:
        return sum(1 for second in self.rated if second.needs_settling)


def cycle_agreement(cycle) -> CycleAgreement:
    """The second assessments of a cycle and their agreement figures (two queries whatever their number).

    A pair counts when both ratings exist (the first rating is the item's rating when the second was given).
    Researcher pairs are unordered: weighted kappa does not depend on which rater is first."""
    from .models import SecondAssessment, SecondAssessmentStatus

    seconds = list(
        SecondAssessment.objects.filter(
            item__country_assessment__cycle=cycle,
            status__in=[
                SecondAssessmentStatus.REQUESTED,
                SecondAssessmentStatus.SUBMITTED,
                SecondAssessmentStatus.SETTLED,
            ],
        )
        .select_related(
            "item__indicator",
            "item__country_assessment__country",
            "item__country_assessment__cycle",
            "researcher",
            "first_researcher",
            "settled_by",
            "requested_by",
        )
        .order_by("item__indicator__position", "item__country_assessment__country__name", "pk")
    )
    rated = [second for second in seconds if second.is_rated]
    overall = AgreementFigures("All indicators")
    indicators: dict[int, AgreementFigures] = {}
    pairs: dict[tuple, AgreementFigures] = defaultdict(lambda: AgreementFigures(""))
    for second in rated:
        if not second.first_rating:
            continue
        pair = (second.first_rating, second.rating)
        overall.pairs.append(pair)
        indicator = second.item.indicator
        entry = indicators.setdefault(indicator.pk, AgreementFigures(f"{indicator.code} {indicator.title}"))
        entry.key = indicator
        entry.pairs.append(pair)
        names = sorted(
            (display_name(user) if user is not None else "(unknown)", id(user))
            for user in (second.first_researcher, second.researcher)
        )
        key = tuple(sorted((second.first_researcher_id or 0, second.researcher_id)))
        group = pairs[key]
        group.label = " & ".join(name for name, _ in names)
        group.pairs.append(pair)
    rated.sort(key=lambda second: (second.agrees, not second.needs_settling))
    return CycleAgreement(
        overall=overall,
        by_indicator=list(indicators.values()),
        by_pair=sorted(pairs.values(), key=lambda group: group.label.casefold()),
        rated=rated,
        requested=[second for second in seconds if second.is_requested],
    )
