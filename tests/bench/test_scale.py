"""Issue 18 at scale: every UN member state × five cycles, the bench's verdicts, the saturation steps."""

import pycountry
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse

from assessments.models import AssessmentItem, CountryAssessment, Cycle, ItemKind, ItemStatus, Trend
from benchmarks import harness
from benchmarks.dataset import ALL_CYCLES, COUNTRIES, REGION, dataset_build
from benchmarks.loadtest import LoadTestSummary
from benchmarks.management.commands.bench import row_verdict, select_pages
from benchmarks.management.commands.loadtest import saturation_verdict
from benchmarks.un_members import UN_MEMBERS
from tests.factories import UserFactory


def test_the_193_un_member_states_are_iso_countries_and_the_region_comes_first():
    assert len(UN_MEMBERS) == len(set(UN_MEMBERS)) == 193
    assert all(pycountry.countries.get(alpha_3=code) for code in UN_MEMBERS)
    assert "TWN" not in UN_MEMBERS and "PSE" not in UN_MEMBERS and "VAT" not in UN_MEMBERS  # not members
    assert sorted(COUNTRIES) == sorted(UN_MEMBERS) and COUNTRIES[: len(REGION)] == REGION


@pytest.mark.django_db
def test_five_cycles_are_written_through_the_content_service_oldest_first():
    size = dataset_build(countries=2, cycles=5, revisions_per_item=3)

    cycles = {cycle.year: cycle for cycle in Cycle.objects.select_related("previous")}
    assert sorted(cycles) == ALL_CYCLES
    assert [cycles[year].previous.year for year in ALL_CYCLES[1:]] == ALL_CYCLES[:-1]
    assert cycles[2013].indicators.count() == 36
    assert size.items == 2 * 5 * 36 + 2 * 36  # and the demo's Korea 2022 and 2025
    finished = AssessmentItem.objects.filter(
        country_assessment__country__code="AUS", kind=ItemKind.INDICATOR, country_assessment__cycle__year__lt=2025
    )
    assert finished.count() == 4 * 36 and not finished.exclude(status=ItemStatus.APPROVED).exists()
    assert set(finished.filter(country_assessment__cycle__year=2013).values_list("trend", flat=True)) == {Trend.NEW}
    assert finished.filter(country_assessment__cycle__year=2016).exclude(trend=Trend.NEW).exists()  # derived
    item = finished.filter(country_assessment__cycle__year=2016).first()
    reasons = list(item.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[0] == "edited" and "benchmark dataset" in reasons  # older drafting, then the archive write

    again = dataset_build(countries=2, cycles=5, revisions_per_item=3)  # idempotent per country and cycle
    assert again.items == size.items and CountryAssessment.objects.count() == 2 * 5 + 3


@pytest.mark.django_db
def test_build_dataset_refuses_more_than_the_un_members_or_five_cycles():
    with pytest.raises(CommandError, match="193"):
        call_command("build_dataset", countries=194)
    with pytest.raises(CommandError, match="1 to 5"):
        call_command("build_dataset", countries=1, cycles=6)


def row(page: str, *, small: int | None = 8, large: int = 8, p95: float = 100.0, ratio: float = 1.0) -> dict:
    return {
        "page": page,
        "queries_1_country": small,
        "queries_large": large,
        "p95_ms": p95,
        "ratio_to_admin_p95": ratio,
    }


def test_a_page_passes_with_the_same_queries_as_at_one_country_and_staff_pages_within_twice_the_admin():
    assert row_verdict(row("heatmap", ratio=1.9)) == ("PASS", [])
    assert row_verdict(row("heatmap", ratio=2.1)) == ("FAIL", ["p95 2.1× admin > 2.0×"])
    assert row_verdict(row("dashboard", small=8, large=9)) == ("FAIL", ["queries 8 → 9"])
    assert row_verdict(row("history page", ratio=3.0))[0] == "PASS"  # not a staff page of the target
    assert row_verdict(row(harness.ADMIN_PAGE, small=29, large=29)) == ("PASS", [])  # Django's: no budget
    assert set(harness.STAFF_PAGES) <= {page.name for page in harness.pages()}


def test_bench_pages_measures_some_rows_against_the_admin_page():
    """`bench --pages "cycle overview,heatmap" --no-build`: those rows and the reference, on the database as it is."""
    assert [page.name for page in select_pages("Cycle overview, heatmap")] == [
        "cycle overview",
        "heatmap",
        harness.ADMIN_PAGE,
    ]
    assert len(select_pages("")) == len(harness.pages())
    with pytest.raises(CommandError, match="overview page"):
        select_pages("overview page")
    # --no-build has no count at 1 country: the row is judged on its time and query budget alone.
    assert row_verdict(row("heatmap", small=None, large=10, ratio=1.3)) == ("PASS", [])


def summary(rps: float, p95: float, failures: int = 0) -> LoadTestSummary:
    return LoadTestSummary(
        requests=100, failures=failures, rps=rps, p50=p95 / 2, p95=p95, p99=p95, max=p95, endpoints=[]
    )


def test_saturation_reports_the_highest_rate_met():
    steps = [(10, summary(8.0, 90)), (20, summary(15.5, 180)), (40, summary(22.0, 450))]
    assert saturation_verdict(steps).endswith("is 15.5 requests/s (20 users)")
    assert "add larger steps" in saturation_verdict(steps[:2])
    assert "no step met" in saturation_verdict([(10, summary(8.0, 120, failures=1))])


@pytest.fixture
def connection_kept_between_requests():
    """As Django's test client does: the WSGI handler would close the test's connection (and its transaction)
    before and after each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
def test_pages_are_timed_by_the_server_application_with_the_persons_session(connection_kept_between_requests):
    """A page timed signed in, through r2p.wsgi (a login redirect would fail the timing, not pass as fast)."""
    UserFactory(username="researcher")
    signed_in = harness.time_page(harness.Page("dashboard", "researcher", lambda: reverse("dashboard")), 2)
    assert signed_in["n"] == 2
    with pytest.raises(RuntimeError, match="answered 302"):
        harness.time_page(harness.Page("dashboard", None, lambda: reverse("dashboard")), 2)
