"""Staff overview pages: login, visibility, sorting and filters, heatmap and charts match the live data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.framework.scoring import assessment_scores
from assessments.models import AssessmentItem, Assignment, AssignmentRole, CountryAssessment, ItemStatus, Rating
from tests.factories import UserFactory, make_country_assessment

from .conftest import add_countries, fill, query_counts

STAFF_PAGES = ["cycle-overview", "cycle-heatmap", "cycle-charts"]
MAX_QUERIES = 12


def url(name: str, year: int = 2022, *args) -> str:
    return reverse(name, args=[year, *args])


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_require_login(client, demo, name):
    response = client.get(url(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_indicator_page_requires_login(client, demo):
    assert client.get(url("cycle-indicator", 2022, "BC-1")).status_code == 302


def test_nav_overview_goes_to_newest_cycle(user_client, demo):
    client = user_client("editor")
    assert 'href="/overview/"' in client.get(url("cycle-overview")).content.decode()
    response = client.get(reverse("overview-latest"))
    assert response.status_code == 302 and response.url == url("cycle-overview", 2025)


def test_overview_shows_korea_scores_stage_and_edition(user_client, korea_2022):
    response = user_client("editor").get(url("cycle-overview"))
    text = response.content.decode()
    row = re.search(r"<tr>\s*<td><a href=\"/cycles/2022/KOR/\">.*?</tr>", text, re.S).group(0)
    assert ">73<" in row and ">74<" in row and "−1" in row
    assert "stage-published" in row and "v1" in row
    assert "38/38 approved" in row


def test_overview_sorts_and_puts_missing_scores_last(user_client, cycle_2022, korea_2022):
    others = add_countries(cycle_2022, 3)
    unrated = make_country_assessment(country=others[0].country.__class__.objects.get(code="ZWE"), cycle=cycle_2022)
    scores = assessment_scores(CountryAssessment.objects.filter(cycle=cycle_2022).select_related("cycle"))
    client = user_client("editor")
    text = client.get(url("cycle-overview") + "?sort=-score").content.decode()
    order = re.findall(r'<td><a href="/cycles/2022/([A-Z]{3})/">', text)
    expected = sorted(
        (ca for ca in CountryAssessment.objects.filter(cycle=cycle_2022).select_related("country") if ca != unrated),
        key=lambda ca: -scores[ca.pk].score,
    )
    assert order[:-1] == [ca.country.code for ca in expected]
    assert order[-1] == "ZWE"  # no score: last whichever the direction
    text = client.get(url("cycle-overview") + "?sort=score").content.decode()
    assert re.findall(r'<td><a href="/cycles/2022/([A-Z]{3})/">', text)[-1] == "ZWE"
    assert 'aria-sort="ascending"' in text


def test_overview_filters_by_stage_and_assignee(user_client, cycle_2022, korea_2022):
    drafting, in_review = add_countries(cycle_2022, 2)
    drafting.items.filter(indicator__position__gt=5).update(status=ItemStatus.DRAFT)
    in_review.items.filter(indicator__position__gt=5).update(status=ItemStatus.IN_REVIEW)
    person = UserFactory(username="ana", first_name="Ana", last_name="Lima", role="Researcher")
    Assignment.objects.create(country_assessment=in_review, user=person, role=AssignmentRole.RESEARCHER)
    client = user_client("editor")

    def codes(query: str) -> list[str]:
        text = client.get(url("cycle-overview") + query).content.decode()
        return re.findall(r'<td><a href="/cycles/2022/([A-Z]{3})/">', text)

    assert codes("?status=drafting") == [drafting.country.code]
    assert codes("?status=in_review") == [in_review.country.code]
    assert codes("?status=published") == ["KOR"]  # the demo publishes Korea 2022
    assert codes("?assignee=ana") == [in_review.country.code]
    assert set(codes("?assignee=none")) == {"KOR", drafting.country.code}
    assert codes("?status=drafting&assignee=ana") == []
    assert len(codes("?status=bogus")) == 3  # unknown stage: no filter


def test_researcher_sees_only_assigned_assessments(user_client, korea_2025):
    other = make_country_assessment(
        country=korea_2025.country.__class__.objects.get(code="JPN"), cycle=korea_2025.cycle
    )
    fill(other)
    client = user_client("researcher")  # assigned to Korea 2025 only
    for name in STAFF_PAGES:
        text = client.get(url(name, 2025)).content.decode()
        assert "Republic of Korea" in text, name
        assert "Japan" not in text, name
    text = client.get(url("cycle-indicator", 2025, "BC-1")).content.decode()
    assert "Republic of Korea" in text and "Japan" not in text
    editor_text = user_client("editor").get(url("cycle-heatmap", 2025)).content.decode()
    assert "Japan" in editor_text


def test_heatmap_cells_match_items(user_client, korea_2022):
    item = korea_2022.items.get(indicator__code="PM-2")
    item.status = ItemStatus.DRAFT
    item.save()
    text = user_client("editor").get(url("cycle-heatmap")).content.decode()
    row = re.search(r'<tr id="hm-KOR">.*?</tr>', text, re.S).group(0)
    cells = re.findall(
        r'<td class="hm hm-(\w+)( hm-open)?" data-indicator="([A-Z]+-\d+)" data-rating="(\w*)" data-trend="(\w*)"', row
    )
    assert len(cells) == 36
    live = {
        code: (rating, trend)
        for code, rating, trend in korea_2022.items.indicators().values_list("indicator__code", "rating", "trend")
    }
    assert {code: (rating, trend) for _, _, code, rating, trend in cells} == live
    assert [code for _, is_open, code, _, _ in cells if is_open] == ["PM-2"]
    counts = {rating: sum(1 for cell in cells if cell[3] == rating) for rating in Rating.values}
    assert counts == {"very_strong": 14, "strong": 11, "fair": 8, "weak": 0, "very_weak": 3}
    assert f'href="{item.get_absolute_url()}"' in row
    # The three framework areas the annex groups indicators in, in order, with their indicator counts.
    areas = re.findall(r'<th colspan="(\d+)" scope="colgroup" class="hm-area"><abbr title="([^"]+)">', text)
    assert [int(span) for span, _ in areas] == [3, 3, 10, 6, 7, 7]
    assert 'data-score="73"' in row


def test_charts_match_scores_and_distribution(user_client, cycle_2022, korea_2022):
    others = add_countries(cycle_2022, 2)
    text = user_client("editor").get(url("cycle-charts")).content.decode()
    scores = assessment_scores(CountryAssessment.objects.filter(cycle=cycle_2022).select_related("cycle"))
    for ca in [korea_2022, *others]:
        summary = scores[ca.pk]
        previous = "" if summary.previous_score is None else summary.previous_score
        assert f'data-country="{ca.country.code}" data-score="{summary.score}" data-previous="{previous}"' in text, ca
    assert 'data-country="KOR" data-score="73" data-previous="74" data-change="-1"' in text
    bars = dict(re.findall(r'<g class="distribution-bar" data-area="([^"]+)" data-total="(\d+)">', text))
    assert bars["All thematic areas"] == str(36 * 3)
    all_areas = re.search(r'data-area="All thematic areas".*?</g>', text, re.S).group(0)
    counted = {rating: int(count) for rating, count in re.findall(r'data-rating="(\w+)" data-count="(\d+)"', all_areas)}
    expected = {}
    for rating in (
        AssessmentItem.objects.filter(country_assessment__cycle=cycle_2022)
        .indicators()
        .values_list("rating", flat=True)
    ):
        expected[rating] = expected.get(rating, 0) + 1
    assert counted == expected
    basic = re.search(r'data-area="Basic Compliance".*?</g>', text, re.S).group(0)
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', basic)) == 3 * 3


def test_indicator_across_countries(user_client, cycle_2022, korea_2022):
    other = add_countries(cycle_2022, 1)[0]
    item = other.items.get(indicator__code="PM-2")
    item.notes = "Consistency **matters**. <script>alert(1)</script>"
    item.save()
    text = user_client("editor").get(url("cycle-indicator", 2022, "pm-2")).content.decode()
    assert "North Korean Human Rights Act" in text  # Korea's notes
    assert "Consistency <strong>matters</strong>" in text and "<script>alert" not in text
    assert f'href="{item.get_absolute_url()}"' in text
    assert "← PM-1" in text and "PM-3 →" in text
    assert user_client("editor").get(url("cycle-indicator", 2022, "XX-1")).status_code == 404


def test_indicator_page_flags_trends_that_contradict_previous_ratings(user_client, korea_2022, korea_2025):
    item = korea_2025.items.get(indicator__code="BC-1")  # Korea 2022: Very Strong
    item.rating, item.trend = Rating.FAIR, "increase"
    item.save()
    text = user_client("editor").get(url("cycle-indicator", 2025, "BC-1")).content.decode()
    assert "expected Decrease" in text
    assert "1 trend disagrees" in text


def test_indicator_picker_redirects(user_client, demo):
    client = user_client("editor")
    response = client.get(reverse("cycle-indicators", args=[2022]) + "?code=ihr-3")
    assert response.url == url("cycle-indicator", 2022, "IHR-3")


def test_staff_query_counts_do_not_grow_with_countries(user_client, cycle_2022, korea_2022):
    pages = [url(name) for name in STAFF_PAGES] + [url("cycle-indicator", 2022, "BC-1")]
    client = user_client("editor")
    client.get(pages[0])  # warm the session

    few = query_counts(client, pages)
    add_countries(cycle_2022, 11)
    many = query_counts(client, pages)
    assert few == many
    assert max(many.values()) <= MAX_QUERIES, many


def test_researcher_query_counts_do_not_grow_with_assignments(user_client, korea_2025):
    """The visibility filter is part of the query: more assigned countries cost no extra queries."""
    researcher = Assignment.objects.get(country_assessment=korea_2025, role=AssignmentRole.RESEARCHER).user
    client = user_client("researcher")
    page = url("cycle-overview", 2025)
    client.get(page)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        return len(queries)

    few = count()
    for ca in add_countries(korea_2025.cycle, 4):
        Assignment.objects.create(country_assessment=ca, user=researcher, role=AssignmentRole.RESEARCHER)
    assert count() == few
