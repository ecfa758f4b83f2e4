"""Query counts of the workflow pages are fixed: they do not grow with countries, indicators or comments.

Each page is measured on a small and on a larger archive and must cost the same, within the project's
target of 12 queries per page.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assignment, AssignmentRole, Comment, Country, Cycle, Indicator, ThematicArea
from assessments.workflow.items import country_assessment_create
from assessments.workflow.services import item_request_changes
from tests.factories import SourceFactory, make_country_assessment
from tests.workflow.conftest import approved, drafted, in_review

TARGET = 12
DASHBOARD_QUERIES = (
    9  # session, user, groups, my assignments, assessments with progress, awaiting, returned, 2 activity
)
COUNTRY_PAGE_QUERIES = 12  # session, user, groups, assessment, items, 2 for the previous score, assignments,
# candidates, and for the publish panel: editions, unresolved citations; the cited sources' dates (freshness)
EDITOR_QUERIES = 11  # session, user, item, groups, roles, previous item, preview sources, problem sources, comments,
# open suggestions (assessments/review), the items before and after (previous/next links); editors one more: the
# reviewers they may ask to review the item
EDITOR_ASKS_REVIEW_QUERIES = 1


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow_archive(cycle_2025, people, codes: list[str]) -> None:
    """More country assessments, all assigned to the demo researcher and reviewer, with work in every state."""
    for code in codes:
        assessment = make_country_assessment(country=Country.objects.get(code=code), cycle=cycle_2025)
        for user, role in [(people["researcher"], AssignmentRole.RESEARCHER), (people["reviewer"], "reviewer")]:
            Assignment.objects.create(country_assessment=assessment, user=user, role=role)
        items = list(assessment.items.filter(kind="indicator").select_related("indicator")[:4])
        approved(items[0], people)
        in_review(items[1], people)
        drafted(items[2], people["researcher"])
        item_request_changes(item=in_review(items[3], people), user=people["reviewer"], comment="Why?")


@pytest.mark.parametrize("role", ["researcher", "reviewer", "editor"])
def test_dashboard_queries_do_not_grow_with_countries(role, people, korea_2025):
    client = Client()
    client.force_login(people[role])
    grow_archive(korea_2025.cycle, people, ["AUS"])
    small = count_queries(client, reverse("dashboard"))
    grow_archive(korea_2025.cycle, people, ["NZL", "JPN", "IDN", "PHL"])
    large = count_queries(client, reverse("dashboard"))
    assert small == large <= DASHBOARD_QUERIES <= TARGET


def small_framework_assessment(indicators: int, previous: Cycle):
    """A country assessment of a cycle whose framework has only `indicators` indicators."""
    cycle = Cycle.objects.create(year=2031, previous=previous)
    area = ThematicArea.objects.create(cycle=cycle, code="BC", name="Basic Compliance", position=1)
    for position in range(1, indicators + 1):
        Indicator.objects.create(cycle=cycle, thematic_area=area, code=f"BC-{position}", title="T", position=position)
    return country_assessment_create(country=Country.objects.get(code="KOR"), cycle=cycle)


@pytest.mark.parametrize("role", ["researcher", "editor"])
def test_country_page_queries_do_not_grow_with_indicators_or_countries(role, people, korea_2025):
    client = Client()
    client.force_login(people[role])
    few = small_framework_assessment(indicators=2, previous=korea_2025.cycle)
    Assignment.objects.create(country_assessment=few, user=people["researcher"], role=AssignmentRole.RESEARCHER)
    small = count_queries(client, few.get_absolute_url())
    grow_archive(korea_2025.cycle, people, ["AUS", "NZL", "JPN"])
    for code in ["BC-1", "BC-2", "IHR-4"]:
        in_review(korea_2025.items.get(indicator__code=code), people)
    large = count_queries(client, korea_2025.get_absolute_url())
    assert small == large <= COUNTRY_PAGE_QUERIES <= TARGET


@pytest.mark.parametrize("role", ["researcher", "reviewer", "editor"])
def test_editor_queries_do_not_grow_with_comments_or_citations(role, people, korea_2025):
    client = Client()
    client.force_login(people[role])
    item = korea_2025.items.get(indicator__code="BC-1")
    drafted(item, people["researcher"], notes="Claim.[@hrw-2022-south-korea]")
    Comment.objects.create(item=item, author=people["reviewer"], body="First comment")
    small = count_queries(client, item.get_absolute_url())
    keys = [SourceFactory().key for _ in range(6)]
    drafted(item, people["researcher"], notes=" ".join(f"Claim.[@{key}, p. 2]" for key in keys) + " [@unknown-1]")
    for n in range(6):
        Comment.objects.create(item=item, author=people["reviewer" if n % 2 else "researcher"], body=f"Comment {n}")
    grow_archive(korea_2025.cycle, people, ["AUS", "NZL"])
    large = count_queries(client, item.get_absolute_url())
    expected = EDITOR_QUERIES + (EDITOR_ASKS_REVIEW_QUERIES if role == "editor" else 0)
    assert small == large <= expected <= TARGET
