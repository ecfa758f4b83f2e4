"""Writes of the review feature. Item content is only ever written through `services.workflow.item_update`.

Each service: lock, check state and right, change, `full_clean()`, save with history user and reason, notify on
commit.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, F, When
from django.utils import timezone

from assessments.accounts.services import display_name
from assessments.models import (
    AssessmentItem,
    Comment,
    ItemSeen,
    ItemStatus,
    MailPreference,
    Suggestion,
    SuggestionStatus,
)
from assessments.review import rights
from assessments.review.anchors import anchor_in
from assessments.review.merge import Merge, merge
from assessments.review.selectors import notes_at_version, open_thread_count, reviewer_acted_since_submission
from assessments.review.suggestions import rebase
from assessments.workflow import content, permissions
from assessments.workflow.comments import comment_create
from assessments.workflow.services import EditConflict, WorkflowError, item_approve, item_update


def conflict_merge(theirs: AssessmentItem, *, expected_version: int, mine: str) -> Merge | None:
    """Merge the notes someone saved from `expected_version` with the newer saved notes (None: base unknown)."""
    base = notes_at_version(theirs, expected_version)
    if base is None:
        return None
    return merge(base, mine, theirs.notes)


# --- withdraw ------------------------------------------------------------------------------------------


@transaction.atomic
def item_withdraw(*, item: AssessmentItem, user) -> AssessmentItem:
    """Take a submission back to draft while no reviewer has acted on it (commented, suggested, decided)."""
    current = content.item_locked(item)
    if not permissions.can_withdraw_item(user, current):
        raise PermissionDenied(f"You may not withdraw this item now (it is {current.get_status_display()}).")
    if reviewer_acted_since_submission(current):
        raise WorkflowError("A reviewer has already acted on this submission: ask them instead of withdrawing it.")
    current.status = ItemStatus.DRAFT
    current.full_clean()
    current._history_user = user
    current._change_reason = "withdrawn from review"
    current.save(update_fields=["status", "updated_at"])
    from assessments.review.notifications import notify_withdrawn

    transaction.on_commit(lambda: notify_withdrawn(item=current, actor=user), robust=True)
    return current


# --- approval with open threads ------------------------------------------------------------------------


class OpenThreads(WorkflowError):
    def __init__(self, count: int):
        self.count = count
        super().__init__(
            f"There {'is' if count == 1 else 'are'} {count} open comment{'' if count == 1 else 's'}: "
            f"confirm that you approve with {count} open comment{'' if count == 1 else 's'}, or resolve them first."
        )


@transaction.atomic
def item_approve_reviewed(
    *, item: AssessmentItem, user, comment: str = "", confirmed_open: int | None = None
) -> AssessmentItem:
    """Approve, but only with an explicit confirmation of the number of threads still open."""
    current = content.item_locked(item)
    if not permissions.can_review_item(user, current):
        raise PermissionDenied(f"You may not approve this item now (it is {current.get_status_display()}).")
    count = open_thread_count(current)
    if count and confirmed_open != count:
        raise OpenThreads(count)
    return item_approve(item=current, user=user, comment=comment)


# --- threads -------------------------------------------------------------------------------------------


@transaction.atomic
def thread_create(
    *, item: AssessmentItem, user, body: str, quote: str = "", prefix_hint: str = "", version: int | None = None
) -> Comment:
    """Start a thread, on a passage of the notes when `quote` is given (quote + context + the version)."""
    anchor = None
    if quote.strip():
        if version is not None and version != item.version:
            text = notes_at_version(item, version) or item.notes
        else:
            text = item.notes
        anchor = anchor_in(text, quote, prefix_hint=prefix_hint)
        if anchor is None:
            raise WorkflowError("Select a passage of the notes (as saved) to comment on it.")
    return comment_create(
        item=item, user=user, body=body, anchor=anchor, item_version=version if anchor is not None else None
    )


@transaction.atomic
def comment_reply(*, parent: Comment, user, body: str) -> Comment:
    """Reply in a thread (replies to a reply join the same thread); a reply reopens nothing by itself."""
    root = parent if parent.parent_id is None else parent.parent
    return comment_create(item=parent.item, user=user, body=body, parent=root)


# --- suggestions ---------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_create(*, item: AssessmentItem, user, notes: str, rating: str = "") -> Suggestion:
    """Store proposed notes (and/or rating) against the item's current version."""
    current = content.item_locked(item)
    if not rights.can_suggest_item(user, current):
        raise PermissionDenied("You may not suggest changes to this item.")
    notes = notes.replace("\r\n", "\n")
    suggestion = Suggestion(
        item=current,
        author=user,
        base_version=current.version,
        base_notes=current.notes,
        base_rating=current.rating,
        notes=notes,
        rating=rating if rating != current.rating else "",
    )
    if suggestion.notes == suggestion.base_notes and not suggestion.rating:
        raise WorkflowError("The suggestion changes nothing.")
    suggestion.full_clean()
    suggestion._history_user = user
    suggestion._change_reason = "suggested"
    suggestion.save()
    return suggestion


def _locked_suggestion(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().select_related("author").get(pk=suggestion.pk)


def _decide(suggestion: Suggestion, *, user, status: str, reason: str, applied_version: int | None = None) -> None:
    suggestion.status = status
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.applied_version = applied_version
    suggestion.full_clean()
    suggestion._history_user = user
    suggestion._change_reason = reason
    suggestion.save()


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, user) -> AssessmentItem:
    """Apply a suggestion through the one write path; history names the suggester and the acceptor.

    The item row is saved by `item_update` with the acceptor as history user and the reason
    "accepted suggestion by <suggester>"; the suggestion row records author (contributor) and decided_by."""
    current = content.item_locked(suggestion.item)
    suggestion = _locked_suggestion(suggestion)
    if not suggestion.is_open:
        raise WorkflowError("This suggestion was already decided.")
    if not rights.can_decide_suggestion(user, current):
        raise PermissionDenied("You may not accept suggestions on this item now.")
    rebased = rebase(suggestion, current)
    if rebased.outdated:
        raise WorkflowError("This suggestion no longer applies to the current text: copy what you need by hand.")
    changes = {}
    if suggestion.changes_notes:
        changes["notes"] = rebased.notes
    if rebased.rating:
        changes["rating"] = rebased.rating
    try:
        updated = item_update(
            item=current,
            user=user,
            expected_version=current.version,
            reason=f"accepted suggestion by {display_name(suggestion.author)}",
            **changes,
        )
    except EditConflict as conflict:  # pragma: no cover - the item row is locked above
        raise WorkflowError("The item changed meanwhile; try again.") from conflict
    _decide(
        suggestion,
        user=user,
        status=SuggestionStatus.ACCEPTED,
        reason=f"accepted by {display_name(user)}",
        applied_version=updated.version,
    )
    return updated


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, user) -> Suggestion:
    current = content.item_locked(suggestion.item)
    suggestion = _locked_suggestion(suggestion)
    if not suggestion.is_open:
        raise WorkflowError("This suggestion was already decided.")
    if not (rights.can_decide_suggestion(user, current) or suggestion.author_id == user.pk):
        raise PermissionDenied("You may not reject suggestions on this item now.")
    _decide(suggestion, user=user, status=SuggestionStatus.REJECTED, reason=f"rejected by {display_name(user)}")
    return suggestion


@transaction.atomic
def suggestions_accept_all(*, item: AssessmentItem, user) -> tuple[int, int]:
    """Accept every open suggestion that still applies, oldest first; return (accepted, left open)."""
    accepted = left = 0
    for suggestion in Suggestion.objects.open().filter(item=item).order_by("created_at", "pk"):
        try:
            suggestion_accept(suggestion=suggestion, user=user)
            accepted += 1
        except WorkflowError:
            left += 1
    return accepted, left


# --- what a reviewer has seen, what people want emailed -------------------------------------------------


def item_seen_record(*, item: AssessmentItem, user) -> None:
    """Remember the version a reviewer (or editor) has open, keeping the one they saw before it.

    A read receipt, not editorial content: one conditional UPDATE (or an INSERT the first time), no history."""
    if not permissions.reads_as_reviewer(user, item):
        return
    version = item.version
    moved = (
        ItemSeen.objects.filter(user=user, item=item)
        .exclude(version=version)
        .update(
            previous_version=Case(When(version__lt=version, then=F("version")), default=None),
            version=version,
            seen_at=timezone.now(),
        )
    )
    if not moved:  # first look (or the same version again, which the unique constraint ignores)
        ItemSeen.objects.bulk_create([ItemSeen(user=user, item=item, version=version)], ignore_conflicts=True)


@transaction.atomic
def mail_preferences_set(*, user, daily_digest: bool, due_reminders: bool) -> MailPreference:
    """Turn the daily digest and the due-date reminders on or off for one person."""
    preference, _created = MailPreference.objects.select_for_update().get_or_create(user=user)
    preference.daily_digest = daily_digest
    preference.due_reminders = due_reminders
    preference.full_clean()
    preference.save()
    return preference
