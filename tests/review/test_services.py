"""Review services: withdraw, approval with open threads, threads on passages, replies, mentions, suggestions."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from assessments.models import CommentKind, ItemStatus, SuggestionStatus
from assessments.review.selectors import contributions_since, last_reviewed_version, suggestions_for, threads_for
from assessments.review.services import (
    OpenThreads,
    comment_reply,
    item_approve_reviewed,
    item_withdraw,
    suggestion_accept,
    suggestion_create,
    suggestion_reject,
    suggestions_accept_all,
    thread_create,
)
from assessments.workflow.comments import comment_reopen, comment_resolve
from assessments.workflow.services import WorkflowError, item_request_changes, item_submit
from tests.workflow.conftest import drafted, fresh, in_review

NOTES = "The State has ratified the Rome Statute.\n\nElections are held regularly and are broadly fair."


def submitted(item, people, notes=NOTES):
    return item_submit(item=drafted(item, people["researcher"], notes=notes), user=people["researcher"])


# --- withdraw ------------------------------------------------------------------------------------------


def test_researcher_withdraws_a_submission_nobody_acted_on(item, people, django_capture_on_commit_callbacks):
    item = in_review(item, people)
    with django_capture_on_commit_callbacks(execute=True):
        item = item_withdraw(item=item, user=people["researcher"])
    assert item.status == ItemStatus.DRAFT
    row = fresh(item).history.order_by("-history_date", "-history_id").first()
    assert (row.history_change_reason, row.history_user) == ("withdrawn from review", people["researcher"])
    assert mail.outbox[-1].to == ["reviewer@example.org"] and "withdrawn" in mail.outbox[-1].subject


def test_withdraw_is_refused_once_a_reviewer_commented(item, people):
    item = in_review(item, people)
    thread_create(item=item, user=people["reviewer"], body="Looking at it.")
    with pytest.raises(WorkflowError):
        item_withdraw(item=item, user=people["researcher"])
    assert fresh(item).status == ItemStatus.IN_REVIEW


def test_only_researchers_and_editors_withdraw_and_only_in_review(item, people):
    with pytest.raises(PermissionDenied):
        item_withdraw(item=drafted(item, people["researcher"]), user=people["researcher"])
    item = item_submit(item=fresh(item), user=people["researcher"])
    with pytest.raises(PermissionDenied):
        item_withdraw(item=item, user=people["reviewer"])


# --- approval with open threads ------------------------------------------------------------------------


def test_approval_with_open_threads_needs_their_number_confirmed(item, people):
    item = submitted(item, people)
    thread_create(item=item, user=people["reviewer"], body="One.")
    thread_create(item=item, user=people["reviewer"], body="Two.")
    with pytest.raises(OpenThreads) as refused:
        item_approve_reviewed(item=item, user=people["reviewer"])
    assert refused.value.count == 2 and "approve with 2 open comments" in refused.value.messages[0]
    with pytest.raises(OpenThreads):
        item_approve_reviewed(item=item, user=people["reviewer"], confirmed_open=1)  # the count changed
    item = item_approve_reviewed(item=item, user=people["reviewer"], confirmed_open=2)
    assert item.status == ItemStatus.APPROVED


def test_approval_without_open_threads_needs_no_confirmation(item, people):
    item = submitted(item, people)
    comment = thread_create(item=item, user=people["reviewer"], body="One.")
    comment_resolve(comment=comment, user=people["researcher"])
    comment_reply(parent=comment, user=people["reviewer"], body="Thanks.")  # replies are not threads
    assert item_approve_reviewed(item=item, user=people["reviewer"]).status == ItemStatus.APPROVED


def test_request_for_changes_is_a_thread_shown_first(item, people):
    item = submitted(item, people)
    thread_create(item=item, user=people["reviewer"], body="Earlier remark.")
    item_request_changes(item=item, user=people["reviewer"], comment="Cite the 2024 report.")
    threads = threads_for(fresh(item))
    assert threads[0].requests_changes and threads[0].comment.kind == CommentKind.CHANGES_REQUESTED
    assert threads[0].comment.body == "Cite the 2024 report."


# --- threads on a passage ------------------------------------------------------------------------------


def test_thread_on_a_passage_follows_edits_and_is_never_lost(item, people):
    item = drafted(item, people["researcher"], notes=NOTES)
    comment = thread_create(item=item, user=people["reviewer"], body="Which year?", quote="ratified the Rome Statute")
    assert (comment.anchor_quote, comment.item_version) == ("ratified the Rome Statute", item.version)
    [thread] = threads_for(fresh(item))
    assert thread.located.state == "found"

    item = drafted(item, people["researcher"], notes="In 2000, " + NOTES)
    assert threads_for(fresh(item))[0].located.state == "found"
    item = drafted(item, people["researcher"], notes="Elections are held regularly and are broadly fair.")
    [thread] = threads_for(fresh(item))
    assert thread.located.state == "removed" and thread.comment.body == "Which year?"


def test_a_quote_not_in_the_notes_is_refused(item, people):
    item = drafted(item, people["researcher"], notes=NOTES)
    with pytest.raises(WorkflowError):
        thread_create(item=item, user=people["reviewer"], body="?", quote="not in the text")


def test_replies_resolve_reopen_and_emails(item, people, django_capture_on_commit_callbacks):
    item = drafted(item, people["researcher"], notes=NOTES)
    with django_capture_on_commit_callbacks(execute=True):
        root = thread_create(item=item, user=people["reviewer"], body="A question.")
    assert sorted(m.to[0] for m in mail.outbox) == ["researcher@example.org"]
    assert "commented on" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_reply(parent=root, user=people["researcher"], body="An answer, @reviewer.")
        comment_reply(parent=reply, user=people["researcher"], body="And more.")  # a reply to a reply: same thread
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"], ["reviewer@example.org"]]
    assert "mentioned you" in mail.outbox[0].subject and "replied" in mail.outbox[1].subject
    [thread] = threads_for(fresh(item))
    assert [r.body for r in thread.replies] == ["An answer, @reviewer.", "And more."]
    comment_resolve(comment=root, user=people["researcher"])
    assert not threads_for(fresh(item))[0].is_open
    comment_reopen(comment=fresh_comment(root), user=people["reviewer"])
    assert threads_for(fresh(item))[0].is_open


def fresh_comment(comment):
    return type(comment).objects.select_related("item__country_assessment").get(pk=comment.pk)


def test_mentions_reach_only_assigned_people(item, people, django_capture_on_commit_callbacks):
    item = drafted(item, people["researcher"], notes=NOTES)
    with django_capture_on_commit_callbacks(execute=True):
        thread_create(item=item, user=people["researcher"], body="@reviewer and @outsider, please look.")
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["reviewer@example.org"]
    assert "mentioned you" in mail.outbox[0].subject


# --- suggestions ---------------------------------------------------------------------------------------


def test_accepting_a_suggestion_applies_it_and_names_suggester_and_acceptor(item, people):
    item = submitted(item, people)
    suggestion = suggestion_create(
        item=item, user=people["reviewer"], notes=NOTES.replace("broadly fair", "free and fair"), rating="fair"
    )
    item_request_changes(item=item, user=people["reviewer"], comment="See my suggestion.")
    item = suggestion_accept(suggestion=suggestion, user=people["researcher"])
    assert item.notes.endswith("free and fair.") and item.rating == "fair"
    row = item.history.order_by("-history_date", "-history_id").first()
    assert row.history_user == people["researcher"]
    assert row.history_change_reason == f"accepted suggestion by {people['reviewer'].get_full_name()}"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by, suggestion.applied_version) == (
        SuggestionStatus.ACCEPTED,
        people["researcher"],
        item.version,
    )
    # Four-eyes per contribution: the reviewer's text was seen by the researcher who accepted it.
    assert contributions_since(item) == [(people["reviewer"].pk, people["researcher"].pk)]


def test_suggestions_are_accepted_only_by_who_may_edit(item, people):
    item = submitted(item, people)
    suggestion = suggestion_create(item=item, user=people["reviewer"], notes=NOTES + " More.")
    with pytest.raises(PermissionDenied):  # in review nobody edits, so nobody accepts
        suggestion_accept(suggestion=suggestion, user=people["researcher"])
    rejected = suggestion_reject(suggestion=suggestion, user=people["reviewer"])  # its author withdraws it
    assert rejected.status == SuggestionStatus.REJECTED and rejected.decided_by == people["reviewer"]


def test_suggestion_rebases_onto_a_newer_version_when_it_applies_cleanly(item, people):
    item = drafted(item, people["researcher"], notes=NOTES)
    suggestion = suggestion_create(
        item=item, user=people["reviewer"], notes=NOTES.replace("broadly fair", "free and fair")
    )
    item = drafted(item, people["researcher"], notes=NOTES.replace("The State has", "The Republic has"))
    [shown] = suggestions_for(fresh(item))
    assert shown.rebased.stale and not shown.rebased.outdated
    assert shown.rebased.notes == (
        "The Republic has ratified the Rome Statute.\n\nElections are held regularly and are free and fair."
    )
    assert '<ins class="diff-ins">' in shown.diff
    item = suggestion_accept(suggestion=suggestion, user=people["researcher"])
    assert item.notes == shown.rebased.notes


def test_suggestion_on_a_paragraph_changed_since_is_outdated_with_its_text_kept(item, people):
    item = drafted(item, people["researcher"], notes=NOTES)
    suggestion = suggestion_create(
        item=item, user=people["reviewer"], notes=NOTES.replace("broadly fair", "free and fair")
    )
    item = drafted(item, people["researcher"], notes=NOTES.replace("broadly fair", "mostly fair"))
    [shown] = suggestions_for(fresh(item))
    assert shown.rebased.outdated
    assert '<del class="diff-del">broadly</del><ins class="diff-ins">free and</ins>' in shown.diff  # against its base
    with pytest.raises(WorkflowError):
        suggestion_accept(suggestion=suggestion, user=people["researcher"])
    assert fresh(item).notes.endswith("mostly fair.")


def test_accept_all_accepts_what_applies_and_leaves_the_rest(item, people):
    item = drafted(item, people["researcher"], notes=NOTES)
    suggestion_create(item=item, user=people["reviewer"], notes=NOTES.replace("The State", "The Republic"))
    suggestion_create(item=item, user=people["editor"], notes=NOTES.replace("broadly fair", "free and fair"))
    suggestion_create(item=item, user=people["editor"], notes=NOTES.replace("broadly fair", "mostly fair"))
    assert suggestions_accept_all(item=item, user=people["researcher"]) == (2, 1)
    assert fresh(item).notes == NOTES.replace("The State", "The Republic").replace("broadly fair", "free and fair")
    reasons = list(
        fresh(item).history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True)
    )
    names = [people[name].get_full_name() for name in ("reviewer", "editor")]
    assert reasons[-2:] == [f"accepted suggestion by {name}" for name in names]


def test_a_suggestion_that_changes_nothing_is_refused(item, people):
    item = drafted(item, people["researcher"], notes=NOTES)
    with pytest.raises(WorkflowError):
        suggestion_create(item=item, user=people["reviewer"], notes=NOTES)


def test_last_reviewed_version_is_the_latest_the_reviewer_acted_on(item, people):
    item = submitted(item, people)
    assert last_reviewed_version(item, people["reviewer"]) is None
    item_request_changes(item=item, user=people["reviewer"], comment="More.")
    acted = fresh(item).version
    drafted(item, people["researcher"], notes=NOTES + " More.")
    assert last_reviewed_version(fresh(item), people["reviewer"]) == acted < fresh(item).version


def test_withdraw_is_refused_once_a_reviewer_suggested(item, people):
    item = submitted(item, people)
    suggestion_create(item=item, user=people["reviewer"], notes=NOTES + " More.")
    with pytest.raises(WorkflowError):
        item_withdraw(item=item, user=people["researcher"])


def test_four_eyes_with_a_suggestion_accepted_by_the_researcher(item, people):
    """The reviewer's suggestion was seen by the researcher who accepted it; the researcher's change (the
    acceptance and the resubmission) is seen by the reviewer who approves: every contribution by two people."""
    item = submitted(item, people)
    suggestion = suggestion_create(item=item, user=people["reviewer"], notes=NOTES.replace("broadly", "fully"))
    item_request_changes(item=item, user=people["reviewer"], comment="See my suggestion.")
    item = suggestion_accept(suggestion=suggestion, user=people["researcher"])
    item = item_submit(item=item, user=people["researcher"])
    assert item.last_edited_by == people["researcher"]
    with pytest.raises(PermissionDenied):  # the researcher cannot approve their own change
        item_approve_reviewed(item=item, user=people["researcher"], confirmed_open=1)
    item = item_approve_reviewed(item=item, user=people["reviewer"], confirmed_open=1)
    assert item.status == ItemStatus.APPROVED
    assert contributions_since(item) == [(people["reviewer"].pk, people["researcher"].pk)]


def test_a_thread_on_a_passage_writes_one_history_row_naming_its_author(item, people):
    item = drafted(item, people["researcher"], notes=NOTES)
    comment = thread_create(item=item, user=people["reviewer"], body="?", quote="Rome Statute", version=item.version)
    rows = list(comment.history.all())
    assert [(row.history_user, row.item_version) for row in rows] == [(people["reviewer"], item.version)]
