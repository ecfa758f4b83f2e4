"""The pages that open a cycle, step by step, as an editor would use them; refusals; query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assignment, CountryAssessment, Cycle, Indicator, Trend
from assessments.workflow.content import ContentChange, items_content_write
from tests.factories import CountryFactory, make_country_assessment
from tests.framework.conftest import RATINGS_2022, rate_all

# Queries of each page: session, user, groups (the right), the cycle, then the page's own reads.
FRAMEWORK_QUERIES = 7  # + indicators, previous indicators, assessments (the lock)
FRAMEWORK_EDITABLE_QUERIES = 8  # + the thematic areas of the form that adds an indicator
COUNTRIES_QUERIES = 7  # + countries present, countries offered, the lock
ASSIGNMENTS_QUERIES = 6  # + assessments, their assignments with people
OPEN_QUERIES = 6  # session, user, groups, cycles to open from (twice: the form's choices and the default)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def csv_file(text: str, name: str = "assignments.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_an_editor_opens_2025_from_2022_page_by_page(client, past):
    client.force_login(past.editor)
    page = client.get(reverse("cycle-new"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["year"] == 2025 and form.initial["coverage_start"] == date(2022, 7, 1)
    assert "2025" in form.initial["introduction"] and "2022" not in form.initial["introduction"]

    response = client.post(
        reverse("cycle-new"),
        {
            "previous": past.cycle.pk,
            "year": 2025,
            "introduction": "This annex reviews {country_in_text} in 2025.",
            "coverage_start": "2022-07-01",
            "coverage_end": "2025-06-30",
        },
    )
    assert response.status_code == 302 and response.url == reverse("cycle-framework", args=[2025])
    cycle = Cycle.objects.get(year=2025)

    response = client.post(
        reverse("cycle-indicator-rename", args=[2025, "BC-3"]),
        {"code": "bc-4", "title": "Justice for past atrocities", "reason": "board decision"},
        follow=True,
    )
    assert "Renamed: BC-4 Justice for past atrocities." in messages_of(response)
    response = client.post(
        reverse("cycle-indicator-add", args=[2025]),
        {"area": cycle.thematic_areas.get(code="UN").pk, "code": "UN-8", "title": "UN support", "continues": ""},
        follow=True,
    )
    assert "Added UN-8 to " in messages_of(response)[0]
    page = response.context
    assert (page["counts"]["renamed"], page["counts"]["new"], len(page["dropped"])) == (1, 1, 0)
    assert b"renamed" in response.content and b"trend New" in response.content

    page = client.get(reverse("cycle-countries", args=[2025]))
    assert list(page.context["form"].initial["countries"]) == past.countries  # all of 2022's, checked
    response = client.post(
        reverse("cycle-countries", args=[2025]),
        {"countries": [country.pk for country in past.countries], "more": "dnk"},
    )
    assert response.status_code == 302 and response.url == reverse("cycle-assignments", args=[2025])
    assert CountryAssessment.objects.filter(cycle=cycle).count() == 4

    upload = csv_file(
        "Country,Researcher,Reviewer,Due date\n"
        "ALB,res1,rev1,2025-09-30\nBEN,res2,rev2,2025-09-30\nCHL,res3,rev3,\nDenmark,res1,rev2,2025-10-15\n"
    )
    response = client.post(reverse("cycle-assignments", args=[2025]), {"file": upload}, follow=True)
    assert messages_of(response)[-1:] == ["4 countries assigned: 8 assignments made, 0 replaced, 3 due dates set."]
    assert Assignment.objects.filter(country_assessment__cycle=cycle).count() == 8
    assert (
        Assignment.history.filter(
            history_change_reason="assigned as researcher (bulk assignment from assignments.csv)"
        ).count()
        == 4
    )

    # The framework is now fixed, and the page says so.
    response = client.post(reverse("cycle-indicator-retire", args=[2025, "BC-1"]), {"reason": "too late"}, follow=True)
    assert messages_of(response) == [
        "The 2025 framework is fixed: 4 country assessments already use it (every item is one of its indicators). "
        "Change the framework before adding countries."
    ]
    assert response.context["lock"] and response.context["add_form"] is None
    assert b"Retire BC-1" not in response.content
    assert Indicator.objects.filter(cycle=cycle).count() == 37

    # The renamed indicator's trend follows its 2022 rating (Weak) in the researcher's editor.
    albania = CountryAssessment.objects.get(cycle=cycle, country__code="ALB")
    item = albania.items.get(indicator__code="BC-4")
    client.force_login(past.researchers[0])
    page = client.get(reverse("item-edit", args=[2025, "ALB", "BC-4"]))
    assert page.status_code == 200
    assert page.context["previous"].item.indicator.code == "BC-3"
    written = items_content_write(
        changes=[ContentChange(item=item, values={"rating": "very_weak"})], user=past.researchers[0], reason="draft"
    )
    assert written.items[0].trend == Trend.DECREASE


@pytest.mark.parametrize("name", ["cycle-new", "cycle-framework", "cycle-countries", "cycle-assignments"])
def test_researchers_and_reviewers_may_not_open_a_cycle(client, past, name):
    args = [] if name == "cycle-new" else [2022]
    for user in (past.researchers[0], past.reviewers[0]):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 403
        assert client.post(reverse(name, args=args), {}).status_code == 403
    client.logout()
    assert client.get(reverse(name, args=args)).status_code == 302


def test_framework_posts_from_non_editors_are_refused(client, past):
    client.force_login(past.researchers[0])
    for name in ("cycle-indicator-rename", "cycle-indicator-map", "cycle-indicator-retire"):
        response = client.post(reverse(name, args=[2022, "BC-1"]), {"code": "BC-1", "title": "x"})
        assert response.status_code == 403
    assert client.post(reverse("cycle-indicator-add", args=[2022]), {}).status_code == 403
    assert client.get(reverse("cycle-indicator-retire", args=[2022, "BC-1"])).status_code == 403
    client.force_login(past.editor)
    assert client.get(reverse("cycle-indicator-retire", args=[2022, "BC-1"])).status_code == 405


def test_a_bad_file_shows_every_row_and_writes_nothing(client, past):
    client.force_login(past.editor)
    upload = csv_file("country,researcher,reviewer\nALB,res1,rev1\nXYZ,res2,rev2\nBEN,ghost,rev2\n")
    response = client.post(reverse("cycle-assignments", args=[2022]), {"file": upload})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Nothing was assigned: 2 of 3 rows have errors." in content
    assert "Unknown country &#x27;XYZ&#x27;" in content and "no active user &#x27;ghost&#x27;" in content
    assert [row.line for row in response.context["rows"] if row.errors] == [3, 4]
    assert not Assignment.objects.exists()
    response = client.post(reverse("cycle-assignments", args=[2022]), {"file": csv_file("name,who\nALB,res1\n")})
    assert response.status_code == 400
    assert "The file has no country, researcher, reviewer column" in response.content.decode()


def test_an_open_form_with_a_taken_year_says_so(client, past):
    client.force_login(past.editor)
    data = {"previous": past.cycle.pk, "year": 2022, "introduction": "x", "coverage_start": "2022-07-01"}
    response = client.post(reverse("cycle-new"), {**data, "coverage_end": "2025-06-30"})
    assert response.status_code == 400
    assert "Cycle 2022 already exists." in response.content.decode()
    response = client.post(reverse("cycle-new"), {**data, "year": 2025, "coverage_end": "2021-06-30"})
    assert "The coverage period must start before it ends." in response.content.decode()
    assert not Cycle.objects.filter(year=2025).exists()


def count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def pages(client) -> dict[str, int]:
    return {
        "open": count(client, reverse("cycle-new")),
        "framework": count(client, reverse("cycle-framework", args=[2025])),
        "countries": count(client, reverse("cycle-countries", args=[2025])),
        "assignments": count(client, reverse("cycle-assignments", args=[2025])),
    }


def grow(past, cycle, codes: list[str]) -> None:
    """More countries in 2022 (rated) and 2025, each assigned in 2025."""
    for code in codes:
        assessment = make_country_assessment(country=CountryFactory(code=code), cycle=past.cycle)
        rate_all(assessment, past.admin, RATINGS_2022)
        opened = make_country_assessment(country=assessment.country, cycle=cycle)
        Assignment.objects.create(country_assessment=opened, user=past.researchers[0], role="researcher")
        Assignment.objects.create(country_assessment=opened, user=past.reviewers[0], role="reviewer")


def test_the_pages_cost_the_same_whatever_the_number_of_countries(client, past):
    from assessments.framework.opening import cycle_open_from

    client.force_login(past.editor)
    cycle = cycle_open_from(
        previous=past.cycle, year=2025, introduction="", coverage_start=None, coverage_end=None, user=past.editor
    )
    assert count(client, reverse("cycle-framework", args=[2025])) == FRAMEWORK_EDITABLE_QUERIES
    grow(past, cycle, ["EST"])
    small = pages(client)
    grow(past, cycle, ["FIN", "GRC", "HUN", "ISL", "JAM"])
    large = pages(client)
    assert (
        small
        == large
        == {
            "open": OPEN_QUERIES,
            "framework": FRAMEWORK_QUERIES,
            "countries": COUNTRIES_QUERIES,
            "assignments": ASSIGNMENTS_QUERIES,
        }
    )
