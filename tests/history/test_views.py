"""History pages: rights, content, revert, and query counts that do not grow with the number of revisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.history import timeline
from assessments.history.activity import activity_queryset
from assessments.models import AssessmentItem
from assessments.workflow.comments import comment_create
from assessments.workflow.services import item_approve, item_reopen, item_submit
from tests.factories import CycleFactory, SourceFactory, UserFactory, make_country_assessment


def urls(item):
    ca = item.country_assessment
    args = [ca.cycle.year, ca.country.code, item.slug]
    return {
        "history": reverse("item-history", args=args),
        "since": reverse("item-history-since-approval", args=args),
        "activity": reverse("assessment-activity", args=args[:2]),
    }


def make_revisions(item, user, edit, count: int):
    for n in range(count):
        item = edit(item, user, rating=["fair", "weak"][n % 2], notes=f"Notes, version {n}. [@src-{n % 3}]")
    return item


@pytest.fixture
def sources(db):
    return [SourceFactory(key=f"src-{n}") for n in range(3)]


# Rights ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["history", "since", "activity"])
def test_pages_require_login(client, item, page):
    response = client.get(urls(item)[page])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", ["history", "since", "activity"])
def test_pages_refuse_staff_without_rights_on_the_country(client, item, page):
    outsider = UserFactory(role="Researcher", is_staff=True)  # a researcher, but not assigned to Korea 2025
    client.force_login(outsider)
    assert client.get(urls(item)[page]).status_code == 403


@pytest.mark.parametrize("username", ["researcher", "reviewer", "editor", "admin"])
def test_pages_open_to_assigned_people_editors_and_admins(user_client, item, username):
    client = user_client(username)
    for url in urls(item).values():
        assert client.get(url).status_code == 200, url


def test_revert_post_requires_login_and_rights(client, item, people, edit):
    item = edit(item, people["researcher"], rating="fair", notes="First.")
    first = timeline.item_history(item).last()
    url = reverse("item-history-revert", args=[2025, "KOR", "BC-1"])
    data = {"revision": first.pk, "version": item.version}
    assert client.post(url, data).status_code == 302  # to the login page
    client.force_login(UserFactory(role="Researcher"))
    assert client.post(url, data).status_code == 403
    client.force_login(people["reviewer"])  # may see the history, may not edit
    assert client.post(url, data).status_code == 403
    client.force_login(people["researcher"])
    assert client.get(url).status_code == 405
    assert timeline.item_history(item).count() == 2


def test_unknown_item_is_404(user_client, item):
    assert user_client("editor").get(reverse("item-history", args=[2025, "KOR", "XX-99"])).status_code == 404
    assert user_client("editor").get(reverse("assessment-activity", args=[2025, "ZZZ"])).status_code == 404


def test_activity_route_is_not_taken_by_the_item_page(user_client, item):
    response = user_client("editor").get(urls(item)["activity"])
    assert response.templates[0].name == "history/activity.html"


# Content --------------------------------------------------------------------------------------------------------


def test_history_page_shows_timeline_and_latest_change(user_client, item, people, edit, sources):
    item = edit(item, people["researcher"], rating="fair", notes="The State is strong. [@src-0]")
    item = edit(item, people["researcher"], rating="weak", notes="The State is <b>weak</b>. [@src-0]")
    text = user_client("reviewer").get(urls(item)["history"]).content.decode()
    assert "Compare from version 2," in text and "Compare from version 3," in text  # the version the item shows
    assert "Rosa Researcher" in text and "edited" in text and ">demo load<" in text  # the creation's reason
    assert '<del class="diff-del">Fair</del>' in text and '<ins class="diff-ins">Weak</ins>' in text
    assert '<del class="diff-del">strong.</del><ins class="diff-ins">&lt;b&gt;weak&lt;/b&gt;.</ins>' in text
    assert "<b>weak</b>" not in text
    assert "Restore" not in text  # the reviewer may not edit


def test_compare_any_two_revisions(user_client, item, people, edit, sources):
    make_revisions(item, people["researcher"], edit, 4)
    rows = list(timeline.item_history(item))
    first, fourth = rows[-1], rows[1]
    client = user_client("editor")
    text = client.get(urls(item)["history"], {"a": fourth.pk, "b": first.pk}).content.decode()
    assert "Version 1\n    → Version 4" in text  # shown oldest first whatever the order chosen, as the item numbers it
    assert '<ins class="diff-ins">Notes, version 2. [@src-2]</ins>' in text
    assert client.get(urls(item)["history"], {"a": "x", "b": 10**9}).status_code == 200


def test_timeline_paginates_25_a_page(user_client, item, people, edit, sources):
    make_revisions(item, people["researcher"], edit, 30)  # 31 revisions
    client = user_client("editor")
    first_page = client.get(urls(item)["history"]).context
    assert [r.number for r in first_page["timeline"].revisions] == list(range(31, 6, -1))
    second = client.get(urls(item)["history"], {"page": 2}).context
    assert [r.number for r in second["timeline"].revisions] == list(range(6, 0, -1))
    assert second["timeline"].revisions[-1].changed == ["created"]


def test_revert_from_the_page(user_client, item, people, edit):
    item = edit(item, people["researcher"], rating="fair", notes="First.")
    item = edit(item, people["researcher"], rating="weak", notes="Second.")
    client = user_client("researcher")
    page = client.get(urls(item)["history"]).content.decode()
    assert page.count(">Restore</button>") == 2  # every revision but the current one
    second = timeline.item_history(item).get(version=2)
    response = client.post(
        reverse("item-history-revert", args=[2025, "KOR", "BC-1"]),
        {"revision": second.pk, "version": item.version},
        follow=True,
    )
    assert "reverted to revision 2" in response.content.decode()
    item.refresh_from_db()
    assert (item.rating, item.notes, item.version) == ("fair", "First.", 4)
    stale = client.post(
        reverse("item-history-revert", args=[2025, "KOR", "BC-1"]), {"revision": second.pk, "version": 3}, follow=True
    )
    assert "Nothing restored" in stale.content.decode()


def test_changes_since_last_approval(user_client, item, people, edit):
    item = edit(item, people["researcher"], rating="fair", notes="Approved text.")
    item = item_submit(item=item, user=people["researcher"])
    item = item_approve(item=item, user=people["reviewer"])
    approved_version = item.version
    client = user_client("reviewer")
    assert "Nothing has changed since" in client.get(urls(item)["since"]).content.decode()
    item = item_reopen(item=item, user=people["editor"], reason="New law")
    item = edit(item, people["researcher"], rating="strong", notes="Approved text, now amended.")
    text = client.get(urls(item)["since"]).content.decode()
    # "version" as on the item page and in the history table (not the history's internal change number)
    assert f"Last approved at version {approved_version} by Rui Reviewer" in text
    assert "2 changes since" in text
    assert '<ins class="diff-ins">, now amended</ins>' in text
    assert '<del class="diff-del">Fair</del>' in text and '<ins class="diff-ins">Strong</ins>' in text


def test_changes_since_approval_of_a_never_approved_item(user_client, item, people, edit):
    edit(item, people["researcher"], notes="All new.")
    text = user_client("reviewer").get(urls(item)["since"]).content.decode()
    assert "never been approved" in text and '<ins class="diff-ins">All new.</ins>' in text


def test_activity_feed_filters_by_user_and_type(user_client, item, people, edit, sources):
    edit(item, people["researcher"], rating="fair", notes="Text [@src-1].")
    comment_create(item=item, user=people["reviewer"], body="Which page?")
    client = user_client("editor")
    entries = client.get(urls(item)["activity"]).context["entries"]
    assert [e.kind for e in entries[:3]] == ["comment", "citation", "item"]
    assert len(entries) == 25  # a page
    everything = {row["e_kind"] for row in activity_queryset(item.country_assessment)}
    assert everything == {"comment", "citation", "item", "assignment", "assessment"}
    mine = client.get(urls(item)["activity"], {"user": people["reviewer"].pk}).context["entries"]
    assert [(e.kind, e.summary) for e in mine] == [("comment", "Which page?")]
    citations = client.get(urls(item)["activity"], {"type": "citation"}).context["entries"]
    assert [(e.summary, e.item) for e in citations] == [("[@src-1] added", item)]
    assignments = client.get(urls(item)["activity"], {"type": "assignment"}).content.decode()
    assert "Rosa Researcher as researcher added" in assignments


def test_history_of_another_country_is_not_in_the_feed(user_client, item, people, edit):
    other = make_country_assessment(country=item.country_assessment.country, cycle=CycleFactory(year=2028))
    edit(item, people["researcher"], notes="2025 text.")
    comment_create(item=item, user=people["reviewer"], body="On 2025.")
    rows = list(activity_queryset(other))
    assert len(rows) == 1 + 38  # the assessment and its items, created
    assert {row["e_kind"] for row in rows} == {"assessment", "item"}
    assert AssessmentItem.objects.filter(pk__in=[row["e_item"] for row in rows], country_assessment=other).count() == 38
    assert user_client("editor").get(reverse("assessment-activity", args=[2028, "KOR"])).status_code == 200


# Query counts ---------------------------------------------------------------------------------------------------


def queries_for(client, url, params) -> list[str]:
    client.get(url, params)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("page", ["history", "compare", "since", "activity"])
def test_query_counts_do_not_grow_with_revisions(user_client, item, people, edit, sources, page):
    counts = []
    for extra in (5, 55):  # 5 then 60 revisions (plus their citations, comments and reviews)
        item = make_revisions(item, people["researcher"], edit, extra)
        comment_create(item=item, user=people["reviewer"], body="More.")
        item = item_submit(item=item, user=people["researcher"])
        item = item_approve(item=item, user=people["reviewer"])
        item = item_reopen(item=item, user=people["editor"], reason="Again")
        rows = list(timeline.item_history(item).values_list("pk", flat=True))
        params = {"a": rows[-1], "b": rows[0]} if page == "compare" else {}
        url = urls(item)["history" if page == "compare" else page]
        counts.append(len(queries_for(user_client("reviewer"), url, params)))
    assert counts == [QUERIES[page], QUERIES[page]]


# session, user, item (with its assessment), user's groups, user's assignments, then per page:
QUERIES = {
    "history": 5 + 2,  # timeline count, timeline page
    "compare": 5 + 4,  # ... and the two revisions, their numbers
    "since": 5 + 4,  # revision count, last approved revision, its number, revisions since
    "activity": 5 + 5,  # feed count, feed page, people and items on the page, people to filter by
}


def test_narrative_item_history_and_revert(user_client, korea_2025, people, edit):
    overview = korea_2025.items.select_related("country_assessment__country", "country_assessment__cycle").get(
        kind="overview"
    )
    overview = edit(overview, people["researcher"], notes="Korea is a democracy.")
    overview = edit(overview, people["researcher"], notes="Korea is a vibrant democracy.")
    client = user_client("researcher")
    text = client.get(urls(overview)["history"]).content.decode()
    assert '<ins class="diff-ins">vibrant </ins>' in text and "Rating" not in text
    first_edit = timeline.item_history(overview).get(version=2)
    client.post(
        reverse("item-history-revert", args=[2025, "KOR", "overview"]),
        {"revision": first_edit.pk, "version": overview.version},
    )
    overview.refresh_from_db()
    assert overview.notes == "Korea is a democracy."


def test_compare_ignores_revisions_of_other_items(user_client, item, korea_2025, people, edit):
    other = korea_2025.items.get(indicator__code="BC-2")
    foreign = timeline.item_history(other).first()
    own = timeline.item_history(item).first()
    response = user_client("editor").get(urls(item)["history"], {"a": foreign.pk, "b": own.pk})
    assert response.context["comparison"] is None
