"""Matching printed indicator titles to the framework's codes."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    title: str
    thematic_area: str
    position: int


def normalise(text: str) -> str:
    text = text.casefold().replace("&", "and").replace("’", "'")
    return re.sub(r"[^a-z0-9']+", " ", text).strip()


class IndicatorMatcher:
    """Exact (normalised) title first; else the most similar title, preferring the next one in framework order."""

    CUT_OFF = 0.6

    def __init__(self, indicators: list[IndicatorInfo]):
        self.indicators = sorted(indicators, key=lambda indicator: indicator.position)
        self.exact = {normalise(indicator.title): indicator for indicator in self.indicators}

    def match(self, title: str, *, expected_position: int | None = None) -> tuple[IndicatorInfo | None, float]:
        wanted = normalise(title)
        if wanted in self.exact:
            return self.exact[wanted], 1.0
        best, best_score = None, 0.0
        for index, indicator in enumerate(self.indicators):
            score = SequenceMatcher(None, wanted, normalise(indicator.title)).ratio()
            if expected_position is not None and index == expected_position:
                score = min(score + 0.05, 0.999)  # order breaks near-ties
            if score > best_score:
                best, best_score = indicator, score
        if best_score < self.CUT_OFF:
            return None, best_score
        return best, min(best_score, 0.999)


def indicators_for_cycle(cycle) -> list[IndicatorInfo]:
    from assessments.models import Indicator

    return [
        IndicatorInfo(code, title, area, position)
        for code, title, area, position in Indicator.objects.filter(cycle=cycle)
        .order_by("position")
        .values_list("code", "title", "thematic_area__name", "position")
    ]
