"""The workflow pages driven through Django's test client: editing, conflicts, review, comments, assignments."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Assignment, AssignmentRole, Comment, ItemStatus
from tests.workflow.conftest import CITED_NOTES, approved, drafted, editor_form, fresh, in_review


def url(item, name="item-edit", *extra):
    ca = item.country_assessment
    return reverse(name, args=[ca.cycle.year, ca.country.code, item.slug, *extra])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- editing -------------------------------------------------------------------------------------------


def test_editor_shows_draft_beside_previous_cycle(item, people):
    response = logged_in(people["researcher"]).get(url(item))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="notes"' in text and 'name="version" value="1"' in text
    assert "2022 assessment" in text
    assert "South Korean citizens are adequately protected from atrocity crimes." in text
    assert "Start from the 2022 assessment" in text
    # Forms never expose workflow fields.
    for field in ["status", "last_edited_by", "country_assessment", "kind"]:
        assert f'name="{field}"' not in text


def test_save_draft_bumps_version_and_keeps_history(item, people):
    client = logged_in(people["researcher"])
    response = client.post(url(item), editor_form(item, rating="fair", notes="First draft.\r\n\r\nSecond para."))
    assert response.status_code == 302
    item = fresh(item)
    assert (item.version, item.rating, item.notes) == (2, "fair", "First draft.\n\nSecond para.")
    assert item.trend == "decrease"  # 2022 Very Strong → Fair, derived
    assert item.history.latest().history_user == people["researcher"]
    assert "Draft saved (version 2)" in client.get(url(item)).content.decode()


def test_trend_override_needs_a_reason(item, people):
    client = logged_in(people["researcher"])
    response = client.post(url(item), editor_form(item, rating="fair", trend="unchanged"))
    assert response.status_code == 200
    assert "Say why the trend is Unchanged" in response.content.decode()
    assert fresh(item).version == 1  # nothing saved, the form is shown again with the input kept
    response = client.post(
        url(item), editor_form(item, rating="fair", trend="unchanged", trend_override_reason="2022 rating was an error")
    )
    assert response.status_code == 302
    assert (fresh(item).trend, fresh(item).trend_override_reason) == ("unchanged", "2022 rating was an error")


def test_two_clients_editing_the_same_item_conflict_and_nothing_is_lost(item, people):
    first, second = logged_in(people["researcher"]), logged_in(people["editor"])
    opened = editor_form(item)  # both opened version 1
    assert first.post(url(item), {**opened, "rating": "strong", "notes": "Researcher's text."}).status_code == 302

    response = second.post(url(item), {**opened, "rating": "fair", "notes": "Editor's text."})
    text = response.content.decode()
    assert response.status_code == 409
    assert "saved this item while you were editing" in text
    assert "Researcher&#x27;s text." in text  # theirs, saved
    assert "Editor&#x27;s text." in text  # yours, kept in the form
    assert 'name="version" value="2"' in text  # merging starts from the saved version
    assert fresh(item).notes == "Researcher's text."

    merged = {**opened, "version": 2, "rating": "strong", "notes": "Researcher's text.\n\nEditor's text."}
    assert second.post(url(item), merged).status_code == 302
    item = fresh(item)
    assert (item.version, item.notes) == (3, "Researcher's text.\n\nEditor's text.")


def test_editing_an_item_submitted_meanwhile_keeps_the_text_visible(item, people):
    opened = editor_form(item)
    in_review(item, people)
    response = logged_in(people["editor"]).post(url(item), {**opened, "notes": "Late edit"})
    assert response.status_code == 409
    assert "Late edit" in response.content.decode()
    assert fresh(item).notes == CITED_NOTES


def test_start_from_previous_cycle_copies_rating_and_notes(item, people):
    client = logged_in(people["researcher"])
    response = client.post(url(item, "item-copy-previous"), {"version": 1})
    assert response.status_code == 302
    item = fresh(item)
    assert (item.rating, item.trend, item.version) == ("very_strong", "unchanged", 2)
    assert item.notes == "South Korean citizens are adequately protected from atrocity crimes."
    assert item.history.latest().history_change_reason == "started from the 2022 assessment"
    # Only into an empty draft.
    client.post(url(item, "item-copy-previous"), {"version": 2})
    assert fresh(item).version == 2
    assert "The draft is not empty" in client.get(url(item)).content.decode()


def test_preview_renders_notes_and_reports_unknown_keys(item, people):
    response = logged_in(people["researcher"]).post(
        url(item, "item-preview"),
        {"notes": "The *Act* applies.[@hrw-2022-south-korea]\n\nSee [@nowhere-2024, p. 2]."},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert "<em>Act</em>" in text
    assert "nowhere-2024" in text and "line 3" in text
    assert "South Korea: Events of 2021" in text  # cited source listed


def test_rating_preview_gives_derived_trend_and_score(item, people):
    response = logged_in(people["researcher"]).post(url(item, "item-rating-preview"), {"rating": "fair"})
    text = response.content.decode()
    assert "Decrease" in text and "2022 Very Strong → Fair" in text
    assert "Country score with this rating: <strong>50</strong>" in text


def test_source_picker_searches_the_library(people):
    client = logged_in(people["researcher"])
    response = client.get(reverse("source-picker"), {"q": "Human Rights Watch"})
    assert 'data-cite-key="hrw-2022-south-korea"' in response.content.decode()
    assert "data-cite-key" not in client.get(reverse("source-picker"), {"q": ""}).content.decode()


# --- transitions ---------------------------------------------------------------------------------------


def test_submit_saves_the_form_then_submits(item, people, django_capture_on_commit_callbacks):
    client = logged_in(people["researcher"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(item, "item-submit"), editor_form(item, rating="strong", notes=CITED_NOTES))
    assert response.status_code == 302
    item = fresh(item)
    assert (item.status, item.version, item.last_edited_by) == (ItemStatus.IN_REVIEW, 2, people["researcher"])
    assert [message.to for message in mail.outbox] == [["reviewer@example.org"]]


def test_submit_with_problems_saves_the_draft_and_lists_them(item, people):
    client = logged_in(people["researcher"])
    response = client.post(url(item, "item-submit"), editor_form(item, notes="Cites [@nowhere]."), follow=True)
    text = response.content.decode()
    assert "Your draft is saved but cannot be submitted yet" in text
    assert "Choose a rating." in text and "Unknown citation key @nowhere" in text
    assert (fresh(item).status, fresh(item).notes) == (ItemStatus.DRAFT, "Cites [@nowhere].")


def test_request_changes_then_resubmit_then_approve(item, people, django_capture_on_commit_callbacks):
    in_review(item, people)
    reviewer, researcher = logged_in(people["reviewer"]), logged_in(people["researcher"])
    page = reviewer.get(url(item)).content.decode()
    assert "Approve" in page and "Request changes" in page and 'name="notes"' not in page

    assert reviewer.post(url(item, "item-request-changes"), {"comment": ""}).status_code == 302
    assert fresh(item).status == ItemStatus.IN_REVIEW  # a comment is required
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(url(item, "item-request-changes"), {"comment": "Cite the 2023 report too."})
    assert fresh(item).status == ItemStatus.CHANGES_REQUESTED
    assert mail.outbox[-1].to == ["researcher@example.org"]
    assert "> Cite the 2023 report too." in mail.outbox[-1].body
    dashboard = researcher.get(reverse("dashboard")).content.decode()
    assert "Returned to me" in dashboard and "Protection of populations from atrocity crimes" in dashboard

    researcher.post(url(item, "item-submit"), editor_form(fresh(item), notes=CITED_NOTES + " Revised."))
    assert fresh(item).status == ItemStatus.IN_REVIEW
    # The request for changes is still an open thread: approving needs an explicit confirmation.
    assert "Approve with 1 open comment" in reviewer.get(url(item)).content.decode()
    reviewer.post(url(item, "item-approve"), {"comment": "Good."})
    assert fresh(item).status == ItemStatus.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(url(item, "item-approve"), {"comment": "Good.", "confirm_open": "1"})
    item = fresh(item)
    assert item.status == ItemStatus.APPROVED
    assert list(item.comments.values_list("body", flat=True)) == ["Cite the 2023 report too.", "Good."]
    page = researcher.get(url(item)).content.decode()
    assert 'name="notes"' not in page and "Approved items are read-only" in page


def test_four_eyes_the_author_cannot_approve(item, people):
    editor = logged_in(people["editor"])
    editor.post(url(item, "item-submit"), editor_form(item, rating="fair", notes=CITED_NOTES))
    assert fresh(item).status == ItemStatus.IN_REVIEW
    page = editor.get(url(item)).content.decode()
    assert "someone else must approve it" in page and "item-approve" not in page
    assert editor.post(url(item, "item-approve")).status_code == 403
    assert logged_in(people["reviewer"]).post(url(item, "item-approve")).status_code == 302
    assert fresh(item).status == ItemStatus.APPROVED


def test_editor_reopens_an_approved_item_with_a_reason(item, people, django_capture_on_commit_callbacks):
    approved(item, people)
    editor = logged_in(people["editor"])
    editor.post(url(item, "item-reopen"), {"reason": ""})
    assert fresh(item).status == ItemStatus.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url(item, "item-reopen"), {"reason": "New 2025 evidence"})
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "researcher@example.org",
        "reviewer@example.org",
    ]
    assert "Reason: New 2025 evidence" in mail.outbox[0].body
    item = fresh(item)
    assert item.status == ItemStatus.DRAFT
    assert item.history.latest().history_change_reason == "reopened: New 2025 evidence"
    assert item.history.latest().history_user == people["editor"]


# --- comments ------------------------------------------------------------------------------------------


def test_comment_thread_add_and_resolve_with_htmx(item, people):
    researcher = logged_in(people["researcher"])
    response = researcher.post(
        url(item, "comment-create"), {"body": "Is the 2024 report out?"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Is the 2024 report out?" in response.content.decode() and "Rosa Researcher" in response.content.decode()
    comment = Comment.objects.get(item=item)
    response = logged_in(people["reviewer"]).post(
        url(item, "comment-resolve", comment.pk), headers={"HX-Request": "true"}
    )
    assert "resolved by Rui Reviewer" in response.content.decode()
    comment.refresh_from_db()
    assert comment.resolved_by == people["reviewer"] and comment.resolved_at is not None


def test_comment_without_htmx_redirects_back(item, people):
    response = logged_in(people["reviewer"]).post(url(item, "comment-create"), {"body": "Plain form post"})
    assert response.status_code == 302 and response.url.endswith("#comments")


# --- country page, assignments, dashboard --------------------------------------------------------------


def test_country_page_shows_live_score_badges_and_assignments(korea_2025, people):
    for code, rating in [("BC-1", "very_strong"), ("BC-2", "fair")]:
        drafted(korea_2025.items.get(indicator__code=code), people["researcher"], rating=rating)
    text = logged_in(people["editor"]).get(korea_2025.get_absolute_url()).content.decode()
    assert ">75<" in text  # (4 + 2) / 8 from the current ratings, drafts included
    assert "live: 2/36 rated" in text
    assert text.count('class="status status-draft"') == 38
    assert "Rosa Researcher" in text and "Rui Reviewer" in text
    assert "Add a researcher" in text  # editors assign
    assert "Add a researcher" not in logged_in(people["researcher"]).get(korea_2025.get_absolute_url()).content.decode()


def test_editor_assigns_and_unassigns(korea_2025, people):
    editor = logged_in(people["editor"])
    create = reverse("assignment-create", args=[2025, "KOR"])
    response = editor.post(create, {"user": people["outsider"].pk, "role": AssignmentRole.RESEARCHER})
    assert response.status_code == 302
    assignment = Assignment.objects.get(country_assessment=korea_2025, user=people["outsider"])
    assert assignment.history.latest().history_user == people["editor"]
    assert logged_in(people["outsider"]).get(korea_2025.get_absolute_url()).status_code == 200

    # A researcher cannot be made reviewer; nobody is assigned twice.
    editor.post(create, {"user": people["outsider"].pk, "role": AssignmentRole.REVIEWER})
    editor.post(create, {"user": people["outsider"].pk, "role": AssignmentRole.RESEARCHER})
    assert Assignment.objects.filter(country_assessment=korea_2025, user=people["outsider"]).count() == 1

    editor.post(reverse("assignment-delete", args=[2025, "KOR", assignment.pk]))
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert logged_in(people["outsider"]).get(korea_2025.get_absolute_url()).status_code == 403


def test_dashboard_progress_and_review_queue(korea_2025, people):
    items = {code: korea_2025.items.get(indicator__code=code) for code in ["BC-1", "BC-2", "BC-3", "PM-1"]}
    approved(items["BC-1"], people)
    in_review(items["BC-2"], people)
    drafted(items["BC-3"], people["researcher"])
    researcher = logged_in(people["researcher"]).get(reverse("dashboard")).content.decode()
    assert "Republic of Korea" in researcher
    assert "1 approved, 1 in review, 0 changes requested, 1 drafted, 33 not started, of 36 indicators" in researcher
    reviewer = logged_in(people["reviewer"]).get(reverse("dashboard")).content.decode()
    assert "Reduction of atrocity crime risks" in reviewer  # BC-2 awaits review
    assert "submitted for review" in reviewer  # recent activity


def test_login_redirects_to_my_work(people, client):
    response = client.post(reverse("login"), {"username": "researcher", "password": "r2p-researcher"})
    assert response.status_code == 302 and response.url == reverse("dashboard")


@pytest.mark.parametrize("name", ["password_change", "password_reset"])
def test_password_pages_use_r2p_templates(name, people, client):
    if name == "password_change":
        client.force_login(people["researcher"])
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'class="card narrow"' in response.content.decode()


def test_password_reset_sends_an_email(people, client):
    response = client.post(reverse("password_reset"), {"email": "researcher@example.org"})
    assert response.status_code == 302
    assert mail.outbox[0].subject == "Reset your r2p password"
    assert "/accounts/reset/" in mail.outbox[0].body


def test_overview_goes_through_the_same_review(korea_2025, people):
    overview = fresh(korea_2025.items.get(kind="overview"))
    researcher = logged_in(people["researcher"])
    page = researcher.get(url(overview)).content.decode()
    assert 'name="rating"' not in page and 'name="notes"' in page
    assert "The Republic of Korea (ROK or South Korea) continues to perform strongly" in page  # 2022 overview

    researcher.post(url(overview, "item-copy-previous"), {"version": 1})
    overview = fresh(overview)
    assert overview.notes.startswith("The Republic of Korea (ROK or South Korea)")
    assert (overview.rating, overview.trend) == ("", "")
    researcher.post(url(overview, "item-submit"), editor_form(overview, notes=overview.notes + "\n\nUpdated for 2025."))
    assert fresh(overview).status == ItemStatus.IN_REVIEW
    logged_in(people["reviewer"]).post(url(overview, "item-approve"))
    assert fresh(overview).status == ItemStatus.APPROVED
    assert (
        'Overview <span class="state state-approved">Approved</span>'
        in researcher.get(reverse("dashboard")).content.decode()
    )
