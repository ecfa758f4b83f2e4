"""Foundation pages render for logged-in staff with a bounded number of queries."""

import pytest
from django.urls import reverse

from assessments.models import Country
from tests.factories import make_country_assessment

QUERIES_ON_CYCLE_PAGE = 9  # session, user, groups, cycle, assessments, 3 for scores, cycle tabs


def test_login_page_renders(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_cycle_page_requires_login(client, demo):
    response = client.get(reverse("cycle-detail", args=[2022]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_cycle_page_shows_korea_score(user_client, demo, django_assert_max_num_queries):
    client = user_client("editor")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cycle-detail", args=[2022]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Republic of Korea" in text
    assert ">73<" in text and ">74<" in text and "−1" in text


def test_cycle_page_lists_only_assigned_assessments_for_researchers(user_client, demo):
    """Live scores and progress come from drafts: the researcher (assigned to Korea 2025 only) sees no 2022 row."""
    client = user_client("researcher")
    assert "Republic of Korea" not in client.get(reverse("cycle-detail", args=[2022])).content.decode()
    assert "Republic of Korea" in client.get(reverse("cycle-detail", args=[2025])).content.decode()


@pytest.mark.parametrize("extra_countries", [0, 5])
def test_cycle_page_query_count_does_not_grow(user_client, korea_2022, extra_countries, django_assert_num_queries):
    for code in ["AUS", "NZL", "JPN", "IDN", "PHL"][:extra_countries]:
        make_country_assessment(country=Country.objects.get(code=code), cycle=korea_2022.cycle)
    client = user_client("editor")
    client.get(reverse("cycle-detail", args=[2022]))  # warm the session
    with django_assert_num_queries(QUERIES_ON_CYCLE_PAGE):
        client.get(reverse("cycle-detail", args=[2022]))


def test_country_assessment_page(user_client, korea_2022, django_assert_max_num_queries):
    client = user_client("editor")
    with django_assert_max_num_queries(12):
        response = client.get(korea_2022.get_absolute_url())
    text = response.content.decode()
    assert "Protection of populations from atrocity crimes" in text
    assert text.count('class="status status-approved"') == 38


def test_item_page(user_client, korea_2022):
    item = korea_2022.items.get(indicator__code="PM-2")
    response = user_client("editor").get(item.get_absolute_url())
    assert response.status_code == 200
    assert "<em>North Korean Human Rights Act</em>" in response.content.decode()


def test_admin_pages_render(user_client, korea_2022):
    client = user_client("admin")
    for name in ["assessmentitem", "source", "countryassessment", "indicator", "country", "citation"]:
        assert client.get(reverse(f"admin:assessments_{name}_changelist")).status_code == 200
    item = korea_2022.items.get(indicator__code="BC-3")
    assert client.get(reverse("admin:assessments_assessmentitem_change", args=[item.pk])).status_code == 200
