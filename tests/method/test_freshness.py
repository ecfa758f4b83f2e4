"""Evidence freshness: the newest cited date per item, "no evidence from this period" and "undated"."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.method.evidence import (
    NO_EVIDENCE_FROM_PERIOD,
    NO_SOURCES,
    UNDATED,
    IssuedDate,
    assessment_freshness,
    freshness_warnings,
)
from assessments.workflow.services import item_update
from tests.factories import SourceFactory


def test_issued_dates_as_precise_as_known():
    assert str(IssuedDate.of(2021)) == "2021" and IssuedDate.of(2021).latest == date(2021, 12, 31)
    assert str(IssuedDate.of(2024, 2)) == "2024-02" and IssuedDate.of(2024, 2).latest == date(2024, 2, 29)
    assert str(IssuedDate.of(2022, 6, 30)) == "2022-06-30"
    assert IssuedDate.of(None, 5, 1) is None
    period = (date(2022, 7, 1), date(2025, 6, 30))
    assert IssuedDate.of(2022).overlaps(*period)  # the second half of 2022 is in the period
    assert not IssuedDate.of(2022, 6).overlaps(*period)
    assert not IssuedDate.of(2025, 7, 1).overlaps(*period)


@pytest.fixture
def rows(korea_2025, covered_2025, people):
    SourceFactory(key="new", issued_year=2024, issued_month=3, issued_day=5)
    SourceFactory(key="old", issued_year=2020)
    SourceFactory(key="nd", issued_year=None)
    texts = {
        "BC-1": "Fresh [@new] and old [@old].",
        "BC-2": "Only old [@old; @old, p. 2].",
        "BC-3": "Undated [@nd] and new [@new].",
        "PM-1": "No sources at all.",
        "PM-2": "Old and undated [@old] [@nd].",
    }
    for item in korea_2025.items.filter(indicator__code__in=texts).select_related("indicator"):
        item_update(
            item=item, user=people["researcher"], expected_version=item.version, notes=texts[item.indicator.code]
        )
    korea_2025.cycle.refresh_from_db()
    return {row.item.indicator.code: row for row in assessment_freshness(korea_2025)}


def test_freshness_flags(rows):
    assert (str(rows["BC-1"].evidence.newest), rows["BC-1"].flags) == ("2024-03-05", [])
    assert (str(rows["BC-2"].evidence.newest), rows["BC-2"].flags) == ("2020", [NO_EVIDENCE_FROM_PERIOD])
    assert rows["BC-2"].evidence.cited == 1  # one source, cited twice
    assert rows["BC-3"].flags == [UNDATED]
    assert rows["PM-1"].flags == [NO_SOURCES]
    assert (str(rows["PM-2"].evidence.newest), rows["PM-2"].flags) == ("2020", [NO_EVIDENCE_FROM_PERIOD, UNDATED])


def test_publish_gate_warns(rows, korea_2025):
    warnings = freshness_warnings(korea_2025)
    assert warnings == [
        "BC-2: no evidence from the coverage period 01 Jul 2022 – 30 Jun 2025 (newest cited source: 2020)",
        "BC-3: cites 1 undated source",
        "PM-2: no evidence from the coverage period 01 Jul 2022 – 30 Jun 2025 (newest cited source: 2020)",
        "PM-2: cites 1 undated source",
    ]


def test_country_page_and_cycle_report_list_them(rows, user_client, django_assert_max_num_queries):
    editor = user_client("editor")
    editor.get(reverse("method-freshness", args=[2025]))
    with django_assert_max_num_queries(8):
        report = editor.get(reverse("method-freshness", args=[2025])).content.decode()
    assert report.count("flag-no-evidence-from-this-period") == 2 + 1  # two rows and the legend
    page = editor.get(reverse("country-assessment", args=[2025, "KOR"])).content.decode()
    assert 'id="freshness"' in page and "no evidence from this period" in page
    assert "evidence warnings" in page  # the publish panel


def test_without_coverage_period_only_undated_is_flagged(korea_2022):
    korea_2022.cycle.coverage_start = korea_2022.cycle.coverage_end = None
    flagged = {flag for row in assessment_freshness(korea_2022) for flag in row.flags}
    assert NO_EVIDENCE_FROM_PERIOD not in flagged
