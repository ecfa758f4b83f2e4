"""Agreement between two ratings of the same items (issue 19, part 5): the groundwork for second assessments.

Only the statistics exist so far; the blind second rating (who is asked, what they see) is not built yet."""

from collections import Counter
from collections.abc import Iterable

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
