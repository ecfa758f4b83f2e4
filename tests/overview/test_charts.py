"""Chart geometry, grid helpers and CSV escaping, without the database."""

import pytest

from assessments.overview.charts import PALETTE, distribution_chart, score_chart
from assessments.overview.grid import Distribution, Row, area_abbreviation, rating_value, sort_rows, trend_value
from assessments.overview.opendata import csv_safe


def test_score_chart_places_scores_on_a_0_to_100_axis():
    rows = [
        Row("AAA", "Alpha", "", 50, 40, 10),
        Row("BBB", "Beta", "", 100, None, None),
        Row("CCC", "Gamma", "", None, 30, None),
    ]
    chart = score_chart(rows, year=2022, previous_year=2019)
    assert [point.code for point in chart.points] == ["BBB", "AAA"]  # highest first; unscored left out
    assert chart.unscored == ["Gamma"]
    beta, alpha = chart.points
    assert beta.x == chart.right and alpha.x == (chart.left + chart.right) / 2
    assert alpha.previous_x == chart.left + (chart.right - chart.left) * 0.4
    assert alpha.direction == "up" and beta.previous_x is None and beta.direction == "none"
    assert [tick.value for tick in chart.ticks] == [0, 20, 40, 60, 80, 100]
    assert (chart.ticks[0].anchor, chart.ticks[-1].anchor) == ("start", "end")


def test_distribution_segments_fill_the_bar_in_proportion():
    rows = [Distribution("All", {"very_strong": 1, "fair": 2, "very_weak": 1}), Distribution("Empty", {})]
    chart = distribution_chart(rows, chart_id="d")
    bar, empty = chart.bars
    assert [(segment.rating, segment.count) for segment in bar.segments] == [
        ("very_strong", 1),
        ("fair", 2),
        ("very_weak", 1),
    ]
    span = chart.right - chart.left
    assert [segment.width for segment in bar.segments] == [span / 4, span / 2, span / 4]
    assert bar.segments[-1].x + bar.segments[-1].width == pytest.approx(chart.right)
    assert bar.segments[0].fill == PALETTE["very_strong"]
    assert bar.segments[2].fill == "url(#d-hatch-very_weak)"  # the weak side is hatched for grey print
    assert {pattern.id for pattern in chart.patterns} == {"d-hatch-weak", "d-hatch-very_weak"}
    assert empty.segments == [] and empty.total == 0


def test_long_area_names_wrap_onto_two_lines():
    chart = distribution_chart([Distribution("United Nations, Prevention, Peacekeeping and Assistance", {"fair": 1})])
    assert len(chart.bars[0].label_lines) == 2
    assert " ".join(chart.bars[0].label_lines) == "United Nations, Prevention, Peacekeeping and Assistance"


def test_sort_rows_keeps_missing_values_last_both_ways():
    rows = [Row("A", "a", "", 5, None, None), Row("B", "b", "", None, None, None), Row("C", "c", "", 9, None, None)]
    keys = {"score": lambda row: row.score}
    assert [row.code for row in sort_rows(rows, "score", keys, "score")[0]] == ["A", "C", "B"]
    ordered, active = sort_rows(rows, "-score", keys, "score")
    assert [row.code for row in ordered] == ["C", "A", "B"] and active == "-score"
    assert sort_rows(rows, "bogus", keys, "-score")[1] == "-score"


def test_labels_from_snapshots():
    assert rating_value("Very Strong") == "very_strong" and rating_value("very strong") == "very_strong"
    assert rating_value("Excellent") == "" and rating_value(None) == ""
    assert trend_value("Decrease") == "decrease" and trend_value("") == ""
    assert area_abbreviation("Basic Compliance", ["BC-1", "BC-2"]) == "BC"
    assert area_abbreviation("Basic Compliance", ["BC-1", "X-2"]) == "BC"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+A1", "'+A1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Fair", "Fair"),
        (-1, -1),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected
