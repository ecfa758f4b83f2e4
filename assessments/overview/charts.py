"""Geometry of the server-rendered SVG charts; the templates in templates/overview/ draw it.

Colours are the rating scale of app.css (--r-very_strong … --r-very_weak, blue → orange, safe for the
common colour-vision deficiencies). Because Fair/Weak and Strong/Very Weak print as similar greys, the weak
side is also hatched, every segment carries its count as text, and markers differ in shape, not only colour.
Colours are written as SVG attributes so a chart stands on its own when saved or printed.
"""

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from assessments.models import Rating

from .grid import Distribution, Row

PALETTE = {  # keep in step with --r-* in static/r2p/app.css
    "very_strong": "#08306b",
    "strong": "#2171b5",
    "fair": "#9ecae1",
    "weak": "#fdae6b",
    "very_weak": "#b83d00",
}
TEXT_ON = {"very_strong": "#ffffff", "strong": "#ffffff", "fair": "#10263a", "weak": "#2a1500", "very_weak": "#ffffff"}
HATCHED = ("weak", "very_weak")
INK = "#1d2530"
MUTED = "#5d6b7a"
GRID = "#d9dee4"
INCREASE = PALETTE["very_strong"]
DECREASE = PALETTE["very_weak"]
CHAR_WIDTH = 6.6  # average advance of 12px DejaVu Sans, to keep labels inside their margin


def _fit(text: str, width: float) -> str:
    """Shorten a label to about `width` pixels, with an ellipsis; the full text goes in <title>."""
    limit = max(4, int(width / CHAR_WIDTH))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Pattern:
    id: str
    rating: str
    fill: str


def patterns(chart_id: str) -> list[Pattern]:
    return [Pattern(f"{chart_id}-hatch-{rating}", rating, PALETTE[rating]) for rating in HATCHED]


def rating_fill(chart_id: str, rating: str) -> str:
    return f"url(#{chart_id}-hatch-{rating})" if rating in HATCHED else PALETTE[rating]


def _wrap(text: str, width: float, lines: int = 2) -> list[str]:
    """Break a label into at most `lines` lines of about `width` pixels; the last one shortened if need be."""
    wrapped = textwrap.wrap(text, max(4, int(width / CHAR_WIDTH))) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[: lines - 1] + [_fit(" ".join(wrapped[lines - 1 :]), width)]
    return wrapped


@dataclass(frozen=True)
class Tick:
    value: int
    x: float
    anchor: str = "middle"


def _ticks(values: range, left: float, right: float) -> list[Tick]:
    """Axis ticks over 0–100; the end labels are anchored inward so they stay inside the plot."""
    last = values[-1]
    return [
        Tick(
            value,
            round(left + (right - left) * value / 100, 1),
            "start" if value == 0 else "end" if value == last else "middle",
        )
        for value in values
    ]


@dataclass(frozen=True)
class ScorePoint:
    code: str
    name: str
    label: str
    url: str
    y: float
    score: int
    previous_score: int | None
    change: int | None
    x: float
    previous_x: float | None

    @property
    def direction(self) -> str:
        if self.change is None:
            return "none"
        return "up" if self.change > 0 else ("down" if self.change < 0 else "same")

    @property
    def line_colour(self) -> str:
        return {"up": INCREASE, "down": DECREASE}.get(self.direction, MUTED)

    @property
    def line_left(self) -> float:
        return min(self.x, self.previous_x if self.previous_x is not None else self.x)

    @property
    def line_right(self) -> float:
        return max(self.x, self.previous_x if self.previous_x is not None else self.x)


@dataclass
class ScoreChart:
    """A dot plot: each country's score (filled dot) and the previous cycle's score (hollow ring)."""

    id: str
    year: int
    previous_year: int | None
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    row_height: int
    ticks: list[Tick]
    points: list[ScorePoint]
    unscored: list[str] = field(default_factory=list)

    increase_colour: str = INCREASE
    decrease_colour: str = DECREASE

    @property
    def value_x(self) -> int:
        return self.right + 16

    @property
    def legend_y(self) -> int:
        return self.bottom + 34


def score_chart(
    rows: Iterable[Row], *, year: int, previous_year: int | None, chart_id: str = "scores", width: int = 820
) -> ScoreChart:
    """Countries with a score, highest first; each row shows score, previous score and the change."""
    rows = list(rows)
    scored = sorted((row for row in rows if row.score is not None), key=lambda row: (-row.score, row.name))
    left, right, top, row_height = 270, width - 110, 34, 20

    def x_of(value: float) -> float:
        return round(left + (right - left) * value / 100, 1)

    points = [
        ScorePoint(
            code=row.code,
            name=row.name,
            label=_fit(row.name, left - 16),
            url=row.url,
            y=top + row_height * index + row_height / 2,
            score=row.score,
            previous_score=row.previous_score,
            change=row.change,
            x=x_of(row.score),
            previous_x=x_of(row.previous_score) if row.previous_score is not None else None,
        )
        for index, row in enumerate(scored)
    ]
    bottom = top + row_height * max(len(points), 1)
    return ScoreChart(
        id=chart_id,
        year=year,
        previous_year=previous_year,
        width=width,
        height=bottom + 52,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        row_height=row_height,
        ticks=_ticks(range(0, 101, 20), left, right),
        points=points,
        unscored=[row.name for row in rows if row.score is None],
    )


@dataclass(frozen=True)
class Segment:
    rating: str
    rating_label: str
    count: int
    percent: float
    x: float
    width: float
    fill: str
    text_fill: str

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def show_text(self) -> bool:
        return self.width >= 8 + 7 * len(str(self.count))


@dataclass(frozen=True)
class Bar:
    name: str
    label_lines: list[str]
    total: int
    y: float
    segments: list[Segment]
    emphasised: bool = False

    @property
    def label_first_dy(self) -> float:
        """Baseline offset of the first label line, so one or two lines sit centred on the bar."""
        return 16.5 if len(self.label_lines) == 1 else 10


@dataclass(frozen=True)
class LegendEntry:
    rating: str
    label: str
    fill: str
    x: float


@dataclass
class DistributionChart:
    """100 % stacked bars: the share of each rating per thematic area, strongest (left) to weakest."""

    id: str
    width: int
    height: int
    left: int
    right: int
    bar_height: int
    bars: list[Bar]
    legend: list[LegendEntry]
    legend_y: float
    patterns: list[Pattern]
    ticks: list[Tick]
    top: int


def distribution_chart(
    rows: Iterable[Distribution], *, chart_id: str = "distribution", width: int = 820
) -> DistributionChart:
    rows = list(rows)
    left, right, top, bar_height, gap = 250, width - 60, 26, 24, 12
    span = right - left
    bars = []
    for index, distribution in enumerate(rows):
        y = top + index * (bar_height + gap) + (6 if index else 0)
        total = distribution.total
        cumulative = 0
        segments = []
        for rating, count in distribution.strongest_first:
            if not count:
                continue
            x = left + span * cumulative / total
            cumulative += count
            segment_width = round(left + span * cumulative / total - x, 2)
            segments.append(
                Segment(
                    rating=rating.value,
                    rating_label=rating.label,
                    count=count,
                    percent=round(100 * count / total, 1),
                    x=round(x, 2),
                    width=segment_width,
                    fill=rating_fill(chart_id, rating.value),
                    text_fill=TEXT_ON[rating.value],
                )
            )
        bars.append(
            Bar(
                name=distribution.name,
                label_lines=_wrap(distribution.name, left - 16),
                total=total,
                y=y,
                segments=segments,
                emphasised=index == 0,
            )
        )
    bottom = top + len(rows) * (bar_height + gap) + 6
    legend_x, legend = float(left), []
    for rating in Rating.strongest_first():
        legend.append(LegendEntry(rating.value, rating.label, rating_fill(chart_id, rating.value), legend_x))
        legend_x += 22 + CHAR_WIDTH * len(rating.label) + 14
    return DistributionChart(
        id=chart_id,
        width=width,
        height=bottom + 40,
        left=left,
        right=right,
        bar_height=bar_height,
        bars=bars,
        legend=legend,
        legend_y=bottom + 14,
        patterns=patterns(chart_id),
        ticks=_ticks(range(0, 101, 25), left, right),
        top=top,
    )
