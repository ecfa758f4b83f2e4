"""The consistency report and the calibration view on a generated 40-country region and on the bench dataset."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.method.calibration import consistency_report, key_sources
from assessments.models import CountryAssessment, Cycle
from benchmarks.dataset import dataset_build

from .generate import KEYS, build_region, set_rating


def report_2025():
    cycle = Cycle.objects.select_related("previous").get(year=2025)
    return consistency_report(cycle=cycle, assessments=CountryAssessment.objects.filter(cycle=cycle))


def findings(report) -> set[tuple]:
    found = set()
    for entry in report.findings:
        code = entry.indicator.code
        for moves in entry.opposite_moves:
            found |= {(code, "fell", r.country_code, moves.source.key) for r in moves.fell}
        found |= {(code, "outlier", o.country.country_code, o.source.key) for o in entry.outliers}
    return found


def test_key_source_is_the_most_cited_then_the_first():
    assert key_sources([(1, 10), (1, 11), (1, 11), (2, 20), (2, 21)]) == {1: 11, 2: 20}


def test_a_consistent_region_has_nothing_to_report(demo):
    build_region(40)
    report = report_2025()
    assert report.countries == 40  # Korea 2025 has no ratings yet
    assert report.count == 0, findings(report)


def test_planted_inconsistencies_are_found(demo):
    region = build_region(40)
    first, second = region.countries[0], region.countries[KEYS]  # both cite key-0 and rise weak → fair
    # An outlier: one country citing key-0 rated Very Strong on BC-2 while every other key-0 country says Fair.
    set_rating(region.item(first, "BC-2"), "very_strong")
    # An opposite move: on PM-1 one key-0 country falls from Weak while the others citing key-0 rise.
    set_rating(region.item(second, "PM-1"), "very_weak")
    found = findings(report_2025())
    assert (("BC-2", "outlier", first.code, "gen-key-0")) in found
    assert ("PM-1", "fell", second.code, "gen-key-0") in found
    assert ("PM-1", "fell", second.code, "gen-common") in found  # everyone cites the common source
    assert {code for code, *_ in found} == {"BC-2", "PM-1"}, found


def test_report_page_lists_the_findings(demo, user_client):
    region = build_region(12)
    set_rating(region.item(region.countries[0], "BC-2"), "very_strong")
    page = user_client("editor").get(reverse("method-consistency", args=[2025])).content.decode()
    assert "1 finding" in page and region.countries[0].name in page and "@gen-key-0" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db(transaction=False)
def test_query_counts_do_not_grow_from_5_to_40_countries(user_client, capsys):
    pages = {
        "calibration": reverse("method-calibration", args=[2025, "BC-1"]),
        "calibration, sorted and filtered": reverse("method-calibration", args=[2025, "PM-2"])
        + "?sort=-evidence&region=South-East+Asia",
        "consistency": reverse("method-consistency", args=[2025]),
        "freshness": reverse("method-freshness", args=[2022]),
        "codebook": reverse("method-codebook", args=[2025]),
        "methodology": reverse("methodology", args=[2025]),
    }
    dataset_build(countries=5, revisions_per_item=1)
    editor = user_client("editor")
    for url in pages.values():
        editor.get(url)  # warm-up: sessions, content types
    small = {label: _queries(editor, url) for label, url in pages.items()}
    dataset_build(countries=40, revisions_per_item=1)
    assert CountryAssessment.objects.filter(cycle__year=2025).count() == 41  # and Korea
    for url in pages.values():
        editor.get(url)  # warm-up again: the build may have emptied per-process caches
    large = {label: _queries(editor, url) for label, url in pages.items()}
    assert large == small
    page = editor.get(pages["calibration"]).content.decode()
    assert page.count('<tr id="') == 41
    with capsys.disabled():
        print("\nmethod pages, queries at 5 and 40 countries: " + ", ".join(f"{k} {v}" for k, v in large.items()))
    assert max(large.values()) <= 12
