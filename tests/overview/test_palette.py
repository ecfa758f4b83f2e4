"""The rating colours, computed from the style sheet and the chart palette so they cannot drift: text on every
badge, heatmap cell and chart segment has a WCAG contrast of at least 4.5:1 (on the plain colour and on the
hatch's darker stripe), the charts use the style sheet's colours, and in grey print the five ratings stay apart:
two ratings are told apart by lightness (CIE L* at least 20 apart) or by pattern (one hatched, the other not)."""

import re
from itertools import combinations
from pathlib import Path

import pytest

from assessments.models import Rating
from assessments.overview.charts import HATCHED, PALETTE, TEXT_ON

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = (ROOT / "static" / "r2p" / "app.css").read_text(encoding="utf-8")
CHART = (ROOT / "templates" / "overview" / "_distribution_chart.html").read_text(encoding="utf-8")
RATINGS = [rating.value for rating in Rating.strongest_first()]
MIN_TEXT_CONTRAST = 4.5
MIN_GREY_STEP = 20  # CIE L*, 0 (black) … 100 (white)


def rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))


def luminance(channels: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: tuple, b: tuple) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lightness(channels: tuple) -> float:
    """CIE L* of the colour: how light it prints in grey."""
    y = luminance(channels)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def darkened(channels: tuple, black_alpha: float) -> tuple:
    """The colour under a stripe of black at `black_alpha` (the hatch)."""
    return tuple(c * (1 - black_alpha) for c in channels)


def custom_properties() -> dict[str, str]:
    return dict(re.findall(r"--r-([a-z_]+):\s*(#[0-9a-fA-F]{3,6})", APP_CSS))


def rule(selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", APP_CSS)
    assert match, f"no rule for {selector} in app.css"
    return match["body"] if "body" in match.groupdict() else match[1]


def css_swatch(selector: str) -> tuple[tuple, tuple, float | None]:
    """Background, text colour and hatch alpha (None: plain) of a rating rule such as `.hm-weak`."""
    body = rule(selector)
    background = re.search(r"background:\s*var\(--r-([a-z_]+)\)", body)
    text = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
    hatch = re.search(r"rgba\(0,\s*0,\s*0,\s*([.\d]+)\)", body)
    return rgb(custom_properties()[background[1]]), rgb(text[1]), float(hatch[1]) if hatch else None


@pytest.mark.parametrize("prefix", [".rating-", ".hm-"])
@pytest.mark.parametrize("rating", RATINGS)
def test_badge_and_heatmap_text_contrast(prefix, rating):
    background, text, hatch = css_swatch(prefix + rating)
    assert contrast(background, text) >= MIN_TEXT_CONTRAST, (prefix + rating, round(contrast(background, text), 2))
    if hatch is not None:
        stripe = darkened(background, hatch)
        assert contrast(stripe, text) >= MIN_TEXT_CONTRAST, (prefix + rating, "on the stripe")


def test_charts_use_the_style_sheets_colours():
    assert {rating: colour.lower() for rating, colour in PALETTE.items()} == custom_properties()


@pytest.mark.parametrize("rating", RATINGS)
def test_chart_segment_text_contrast(rating):
    background, text = rgb(PALETTE[rating]), rgb(TEXT_ON[rating])
    assert contrast(background, text) >= MIN_TEXT_CONTRAST, (rating, round(contrast(background, text), 2))
    if rating in HATCHED:
        alpha = float(re.search(r'stroke="#000000" stroke-opacity="([.\d]+)"', CHART)[1])
        assert contrast(darkened(background, alpha), text) >= MIN_TEXT_CONTRAST, (rating, "on the stripe")


@pytest.mark.parametrize("prefix", [".rating-", ".hm-"])
def test_ratings_part_in_grey_print(prefix, capsys):
    swatches = {rating: css_swatch(prefix + rating) for rating in RATINGS}
    greys = {rating: lightness(background) for rating, (background, _, _) in swatches.items()}
    with capsys.disabled():
        print(f"\n{prefix}* grey L*: " + ", ".join(f"{rating} {value:.0f}" for rating, value in greys.items()))
    for a, b in combinations(RATINGS, 2):
        by_pattern = (swatches[a][2] is None) != (swatches[b][2] is None)
        assert by_pattern or abs(greys[a] - greys[b]) >= MIN_GREY_STEP, (a, b, round(greys[a]), round(greys[b]))
    assert {rating for rating, swatch in swatches.items() if swatch[2] is not None} == set(HATCHED)
