"""Review pages and actions through the test client, with their query counts."""

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Comment, ItemStatus, Suggestion
from assessments.review.anchors import anchor_in
from assessments.review.services import thread_create
from assessments.workflow.services import item_request_changes, item_submit
from tests.workflow.conftest import drafted, fresh
from tests.workflow.test_queries import EDITOR_QUERIES

NOTES = "The State has ratified the Rome Statute.\n\nElections are held regularly and are broadly fair."


def url(item, name="item-edit", *extra):
    ca = item.country_assessment
    return reverse(name, args=[ca.cycle.year, ca.country.code, item.slug, *extra])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def editor_queries(client, item) -> int:
    client.get(url(item))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(item))
    assert response.status_code == 200
    return len(queries)


def test_editor_with_20_suggestions_and_50_comments_stays_within_its_query_budget(item, people):
    item = drafted(item, people["researcher"], notes=NOTES)
    client = logged_in(people["researcher"])
    small = editor_queries(client, item)
    anchor = anchor_in(NOTES, "Rome Statute")
    for n in range(20):
        Suggestion.objects.create(
            item=item,
            author=people["reviewer"],
            base_version=item.version,
            base_notes=NOTES,
            notes=NOTES.replace("broadly", f"mostly {n}"),
        )
    roots = []
    for n in range(25):
        roots.append(
            Comment.objects.create(
                item=item,
                author=people["reviewer"],
                body=f"Comment {n}",
                item_version=item.version,
                anchor_quote=anchor.quote,
                anchor_prefix=anchor.prefix,
                anchor_suffix=anchor.suffix,
            )
        )
    for n, root in enumerate(roots):
        Comment.objects.create(item=item, author=people["researcher"], body=f"Reply {n}", parent=root)
    with CaptureQueriesContext(connection):
        response = client.get(url(item))
    text = response.content.decode()
    assert text.count('class="suggestion') >= 20 and text.count('id="thread-') == 25 and "Reply 24" in text
    large = editor_queries(client, item)
    assert small == large <= EDITOR_QUERIES


def test_comment_on_a_selected_passage_through_htmx(item, people, django_assert_max_num_queries):
    item = drafted(item, people["researcher"], notes=NOTES)
    client = logged_in(people["reviewer"])
    response = client.post(
        url(item, "thread-create"),
        {"body": "Which year?", "quote": "Rome Statute", "prefix": "ratified the ", "version": item.version},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-anchor-text="Rome Statute"' in text and "Which year?" in text
    comment = Comment.objects.get(item=item)
    assert (comment.anchor_quote, comment.item_version) == ("Rome Statute", item.version)
    # session, user, item, groups, roles, parent; full_clean (FK and constraint checks in savepoints), the reply
    # and its history row; its search index row (assessments/search); the re-rendered thread (comments,
    # suggestions): a fixed cost
    with django_assert_max_num_queries(31):
        reply = client.post(
            url(item, "comment-reply", comment.pk), {"body": "Also: which court?"}, HTTP_HX_REQUEST="true"
        )
    assert "Also: which court?" in reply.content.decode()


def test_withdraw_button_and_view(item, people):
    item = item_submit(item=drafted(item, people["researcher"], notes=NOTES), user=people["researcher"])
    client = logged_in(people["researcher"])
    assert "Withdraw the submission" in client.get(url(item)).content.decode()
    assert client.get(url(item, "item-withdraw")).status_code == 405
    assert client.post(url(item, "item-withdraw")).status_code == 302
    assert fresh(item).status == ItemStatus.DRAFT


def test_suggest_then_accept_through_the_pages(item, people):
    item = item_submit(item=drafted(item, people["researcher"], notes=NOTES), user=people["researcher"])
    reviewer, researcher = logged_in(people["reviewer"]), logged_in(people["researcher"])
    response = reviewer.post(
        url(item, "suggestion-create"),
        {"suggested_notes": NOTES.replace("broadly fair", "free and fair"), "suggested_rating": "fair"},
    )
    assert response.status_code == 302
    item_request_changes(item=fresh(item), user=people["reviewer"], comment="See my suggestion.")
    page = researcher.get(url(item)).content.decode()
    assert '<ins class="diff-ins">free and</ins>' in page and ">Accept</button>" in page
    suggestion = Suggestion.objects.get(item=item)
    assert researcher.post(url(item, "suggestion-accept", suggestion.pk)).status_code == 302
    assert fresh(item).notes.endswith("free and fair.") and fresh(item).rating == "fair"


def test_changes_since_my_last_review(item, people, django_assert_max_num_queries):
    item = item_submit(item=drafted(item, people["researcher"], notes=NOTES), user=people["researcher"])
    item_request_changes(item=item, user=people["reviewer"], comment="Be precise.")
    drafted(item, people["researcher"], notes=NOTES.replace("broadly fair", "free and fair"))
    client = logged_in(people["reviewer"])
    with django_assert_max_num_queries(12):  # 10, and the version seen written down (UPDATE, first time INSERT)
        response = client.get(url(item, "item-changes-since"))
    text = response.content.decode()
    assert response.status_code == 200
    assert '<del class="diff-del">broadly</del><ins class="diff-ins">free and</ins>' in text
    assert "1 word deleted, 2 inserted" in text
    dashboard = logged_in(people["reviewer"])
    item_submit(item=fresh(item), user=people["researcher"])
    assert url(item, "item-changes-since") in dashboard.get(reverse("dashboard")).content.decode()


def test_presence_shows_who_else_has_the_item_open(item, people, django_assert_max_num_queries):
    cache.clear()
    researcher, reviewer = logged_in(people["researcher"]), logged_in(people["reviewer"])
    assert "Also open now" not in researcher.get(url(item, "item-presence")).content.decode()
    with django_assert_max_num_queries(7):  # 5, and the first look at this version written down (2)
        response = reviewer.get(url(item, "item-presence"))
    assert "Also open now: " + people["researcher"].get_full_name() in response.content.decode()


def test_approve_form_asks_to_confirm_open_comments(item, people):
    item = item_submit(item=drafted(item, people["researcher"], notes=NOTES), user=people["researcher"])
    thread_create(item=item, user=people["reviewer"], body="Hm.", quote="Rome Statute")
    client = logged_in(people["reviewer"])
    page = client.get(url(item)).content.decode()
    assert 'name="confirm_open" value="1"' in page and "Approve with 1 open comment" in page
    client.post(url(item, "item-approve"), {"comment": ""})
    assert fresh(item).status == ItemStatus.IN_REVIEW
    client.post(url(item, "item-approve"), {"comment": "", "confirm_open": "1"})
    assert fresh(item).status == ItemStatus.APPROVED


def test_changes_since_start_from_the_version_the_reviewer_last_had_open(item, people, django_assert_max_num_queries):
    cache.clear()
    first = drafted(item, people["researcher"], notes=NOTES)
    reviewer = logged_in(people["reviewer"])
    with django_assert_max_num_queries(7):  # the first look at a version is written down once
        reviewer.get(url(item, "item-presence"))
    with django_assert_max_num_queries(5):  # the same version again: the cache spares the database
        reviewer.get(url(item, "item-presence"))
    second = drafted(fresh(item), people["researcher"], notes=NOTES.replace("broadly fair", "free and fair"))
    text = reviewer.get(url(item, "item-changes-since")).content.decode()
    assert f"From version {first.version} to version {second.version}" in text
    assert '<del class="diff-del">broadly</del>' in text
    # Opening the new version (to read the changes) does not make them disappear ...
    reviewer.get(url(item, "item-presence"))
    assert (
        f"From version {first.version} to version {second.version}"
        in reviewer.get(url(item, "item-changes-since")).content.decode()
    )
    # ... and the next version is compared with the one seen last.
    third = drafted(fresh(item), people["researcher"], notes=NOTES + "\n\nA third paragraph.")
    assert (
        f"From version {second.version} to version {third.version}"
        in reviewer.get(url(item, "item-changes-since")).content.decode()
    )


def test_what_a_researcher_has_open_is_not_recorded_as_reviewed(item, people):
    from assessments.models import ItemSeen

    drafted(item, people["researcher"], notes=NOTES)
    logged_in(people["researcher"]).get(url(item, "item-presence"))
    assert not ItemSeen.objects.filter(item=item).exists()


def test_mention_people_lists_the_people_assigned(item, people, django_assert_max_num_queries):
    client = logged_in(people["researcher"])
    with django_assert_max_num_queries(6):
        response = client.get(url(item, "item-mention-people"))
    people_listed = {person["username"]: person for person in response.json()["people"]}
    assert {"researcher", "reviewer"} <= set(people_listed)
    assert people_listed["reviewer"]["roles"] == "reviewer"
    assert logged_in(people["outsider"]).get(url(item, "item-mention-people")).status_code == 403
