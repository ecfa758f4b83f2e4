"""Editing and moving items through review: draft → in review → (changes requested → in review) → approved."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from assessments.method.rationale import method_submission_problems
from assessments.models import AssessmentItem, ItemKind, ItemStatus, Trend
from assessments.workflow import content, permissions
from assessments.workflow.content import (
    CONTENT_FIELDS,
    ContentChange,
    EditConflict,
    WorkflowError,
    WriteKind,
    items_content_write,
)
from assessments.workflow.previous import PreviousCycle, previous_cycle_item

__all__ = [
    "EDITABLE_FIELDS",
    "EditConflict",
    "WorkflowError",
    "item_approve",
    "item_copy_from_previous",
    "item_reopen",
    "item_request_changes",
    "item_submit",
    "item_update",
    "submission_problems",
]


EDITABLE_FIELDS = CONTENT_FIELDS


def _save(item: AssessmentItem, *, user, reason: str, fields: list[str]) -> None:
    item.full_clean()
    item._history_user = user
    item._change_reason = reason
    item.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def item_update(
    *, item: AssessmentItem, user, expected_version: int, reason: str = "edited", co_authors=(), **changes
) -> AssessmentItem:
    """Save a draft edit made from `expected_version` (EditConflict if someone saved in between)."""
    result = items_content_write(
        changes=[
            ContentChange(item=item, values=changes, expected_version=expected_version, co_authors=list(co_authors))
        ],
        user=user,
        reason=reason,
        kind=WriteKind.EDIT,
    )
    return result.items[0]


@transaction.atomic
def item_copy_from_previous(*, item: AssessmentItem, user, expected_version: int) -> AssessmentItem:
    """Start an empty draft from the previous cycle's approved rating and notes (updated assessments are written so)."""
    current = content.item_locked(item)
    if not permissions.can_edit_item(user, current):
        raise PermissionDenied("You may not edit this item in its current state.")
    if current.version != expected_version:
        raise EditConflict(item=current, expected_version=expected_version)
    if current.notes.strip() or current.rating:
        raise WorkflowError("The draft is not empty: copy from the previous cycle by hand instead.")
    previous = previous_cycle_item(current)
    if not previous.has_content:
        raise WorkflowError("The previous cycle has nothing approved to start from.")
    changes = {"notes": previous.item.notes}
    if current.kind == ItemKind.INDICATOR:
        changes["rating"] = previous.item.rating
    return item_update(
        item=current,
        user=user,
        expected_version=expected_version,
        reason=f"started from the {previous.year} assessment",
        **changes,
    )


def submission_problems(item: AssessmentItem, *, previous: PreviousCycle | None = None) -> list[str]:
    """What stops an item from being submitted for review (empty when it may be submitted)."""
    from assessments.citations.validation import citations_ready_for_review

    problems = []
    if item.kind == ItemKind.INDICATOR and not item.rating:
        problems.append("Choose a rating.")
    if item.kind == ItemKind.INDICATOR and item.rating:
        problems += _trend_problems(item, previous or previous_cycle_item(item))
    if not item.notes.strip():
        problems.append("Write the notes." if item.kind == ItemKind.INDICATOR else "Write the text.")
    problems += [f"{problem}." for problem in citations_ready_for_review(item)]
    problems += method_submission_problems(item, previous=previous)  # issue 19: a changed rating is justified
    return problems


def _trend_problems(item: AssessmentItem, previous: PreviousCycle) -> list[str]:
    derived = previous.derived_trend(item.rating)
    if derived is None:
        return [] if item.trend else ["Choose a trend (the previous cycle's ratings are not known)."]
    if item.trend != derived and not item.trend_override_reason.strip():
        return [
            f"The trend is {_label(item.trend)} but the ratings give {_label(derived)}: "
            "give a reason for overriding it, or let it follow the ratings."
        ]
    return []


def _label(trend: str) -> str:
    return Trend(trend).label if trend else "empty"


def _transition(item: AssessmentItem, *, allowed, user, to: str, reason: str, **also) -> AssessmentItem:
    """Move the item to status `to` (setting the fields in `also` too) in one save and one history row."""
    current = content.item_locked(item)
    if not allowed(user, current):
        raise PermissionDenied(f"You may not {reason.lower()} this item now (it is {current.get_status_display()}).")
    current.status = to
    for name, value in also.items():
        setattr(current, name, value)
    _save(current, user=user, reason=reason, fields=["status", *also])
    return current


@transaction.atomic
def item_submit(*, item: AssessmentItem, user, expected_version: int | None = None) -> AssessmentItem:
    """Send a draft (or returned) item to its reviewers.

    With `expected_version` (the version the submitter is looking at), a submission of content that someone
    changed in the meantime is refused with EditConflict, so nobody submits text they have not seen.
    """
    current = content.item_locked(item)
    if not permissions.can_submit_item(user, current):
        raise PermissionDenied(f"You may not submit this item now (it is {current.get_status_display()}).")
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(item=current, expected_version=expected_version)
    problems = submission_problems(current)
    if problems:
        raise WorkflowError(problems)
    # Submitting is not writing: four-eyes looks at who wrote the content (ItemContribution), not who clicked.
    current = _transition(
        item, allowed=permissions.can_submit_item, user=user, to=ItemStatus.IN_REVIEW, reason="submitted for review"
    )
    _notify(current, "submitted", user)
    return current


@transaction.atomic
def item_approve(*, item: AssessmentItem, user, comment: str = "") -> AssessmentItem:
    """Approve an item in review; nobody who wrote its content since the last approval can."""
    current = content.item_locked(item)
    current = _transition(
        current,
        allowed=permissions.can_review_item,
        user=user,
        to=ItemStatus.APPROVED,
        reason="approved",
        approved_version=current.version,
    )
    if comment.strip():
        _comment(current, user, comment)
    _notify(current, "approved", user, note=comment)
    return current


@transaction.atomic
def item_request_changes(*, item: AssessmentItem, user, comment: str) -> AssessmentItem:
    """Return an item to its researchers with a comment saying what to change."""
    if not comment.strip():
        raise WorkflowError("Say what should change.")
    current = _transition(
        item,
        allowed=permissions.can_review_item,
        user=user,
        to=ItemStatus.CHANGES_REQUESTED,
        reason="changes requested",
    )
    _comment(current, user, comment, kind="changes_requested")
    _notify(current, "changes_requested", user, note=comment)
    return current


@transaction.atomic
def item_reopen(*, item: AssessmentItem, user, reason: str) -> AssessmentItem:
    """An editor reopens an approved item to draft, saying why."""
    if not reason.strip():
        raise WorkflowError("Give a reason for reopening.")
    current = _transition(
        item, allowed=permissions.can_reopen_item, user=user, to=ItemStatus.DRAFT, reason=f"reopened: {reason.strip()}"
    )
    _notify(current, "reopened", user, note=f"Reason: {reason.strip()}")
    return current


def _comment(item: AssessmentItem, user, body: str, kind: str = "comment") -> None:
    from assessments.workflow.comments import comment_create

    comment_create(item=item, user=user, body=body, kind=kind, notify=False)  # the transition's email says it


def _notify(item: AssessmentItem, event: str, user, note: str = "") -> None:
    from assessments.background.tasks import item_notification_enqueue

    # A background task after the commit (retried; a failure is kept for admins, never an error page).
    item_notification_enqueue(item=item, event=event, actor=user, note=note)
