"""Editing and moving items through review: draft → in review → (changes requested → in review) → approved."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from assessments.models import AssessmentItem, ItemKind, ItemStatus, Trend
from assessments.services import permissions
from assessments.services.items import citations_sync
from assessments.services.previous import PreviousCycle, previous_cycle_item


class WorkflowError(ValidationError):
    """A transition that the item's state does not allow, or that its content is not ready for."""


@dataclass
class EditConflict(Exception):
    """The item changed since the editor loaded it; nothing was saved."""

    item: AssessmentItem
    expected_version: int

    def __str__(self) -> str:
        return (
            f"{self.item} was saved by someone else (version {self.item.version}) since you opened version "
            f"{self.expected_version}"
        )


EDITABLE_FIELDS = ("rating", "trend", "trend_override_reason", "notes")


def _locked(item: AssessmentItem) -> AssessmentItem:
    """Re-read the item under a row lock so concurrent writers serialise on PostgreSQL.

    Only the item's row is locked (`of=("self",)`): PostgreSQL cannot lock the nullable side of the outer join
    to the indicator, and the related rows need no lock.
    """
    return (
        AssessmentItem.objects.select_for_update(of=("self",))
        .select_related("country_assessment__country", "country_assessment__cycle", "indicator")
        .get(pk=item.pk)
    )


def _save(item: AssessmentItem, *, user, reason: str, fields: list[str]) -> None:
    item.full_clean()
    item._history_user = user
    item._change_reason = reason
    item.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def item_update(
    *, item: AssessmentItem, user, expected_version: int, reason: str = "edited", **changes
) -> AssessmentItem:
    """Save a draft edit made from `expected_version`; refuse it if someone saved in between.

    Where the previous cycle's ratings are known the trend follows the rating, unless a
    `trend_override_reason` says why it differs.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    current = _locked(item)
    if not permissions.can_edit_item(user, current):
        raise PermissionDenied("You may not edit this item in its current state.")
    if current.version != expected_version:
        raise EditConflict(item=current, expected_version=expected_version)
    if current.kind != ItemKind.INDICATOR:
        changes = {"notes": changes.get("notes", current.notes)}
    else:
        changes = _with_derived_trend(current, changes)
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    if not changed:
        return current  # nothing changed: no new version, no history row
    for name in changed:
        setattr(current, name, changes[name])
    current.version += 1
    current.last_edited_by = user
    _save(current, user=user, reason=reason, fields=[*changed, "version", "last_edited_by"])
    if "notes" in changed:
        citations_sync(items=[current], user=user, reason=reason)
    return current


def _with_derived_trend(current: AssessmentItem, changes: dict) -> dict:
    """Set the trend that follows from the rating, unless the trend is entered by hand or overridden."""
    derived = previous_cycle_item(current).derived_trend(changes.get("rating", current.rating))
    if derived is None:
        return changes
    reason = changes.get("trend_override_reason", current.trend_override_reason).strip()
    trend = changes.get("trend", current.trend)
    if not reason or not trend:
        trend = derived
    return {**changes, "trend": trend}


@transaction.atomic
def item_copy_from_previous(*, item: AssessmentItem, user, expected_version: int) -> AssessmentItem:
    """Start an empty draft from the previous cycle's rating and notes (updated assessments are written so)."""
    current = _locked(item)
    if not permissions.can_edit_item(user, current):
        raise PermissionDenied("You may not edit this item in its current state.")
    if current.version != expected_version:
        raise EditConflict(item=current, expected_version=expected_version)
    if current.notes.strip() or current.rating:
        raise WorkflowError("The draft is not empty: copy from the previous cycle by hand instead.")
    previous = previous_cycle_item(current)
    if not previous.has_content:
        raise WorkflowError("The previous cycle has nothing to start from.")
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
    current = _locked(item)
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
    current = _locked(item)
    if not permissions.can_submit_item(user, current):
        raise PermissionDenied(f"You may not submit this item now (it is {current.get_status_display()}).")
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(item=current, expected_version=expected_version)
    problems = submission_problems(current)
    if problems:
        raise WorkflowError(problems)
    # Submitting counts as the author's change, so the four-eyes rule applies to the submitter too.
    current = _transition(
        item,
        allowed=permissions.can_submit_item,
        user=user,
        to=ItemStatus.IN_REVIEW,
        reason="submitted for review",
        last_edited_by=user,
    )
    _notify(current, "submitted", user)
    return current


@transaction.atomic
def item_approve(*, item: AssessmentItem, user, comment: str = "") -> AssessmentItem:
    """Approve an item in review; its author cannot."""
    current = _transition(
        item, allowed=permissions.can_review_item, user=user, to=ItemStatus.APPROVED, reason="approved"
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
    _comment(current, user, comment)
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


def _comment(item: AssessmentItem, user, body: str) -> None:
    from assessments.services.comments import comment_create

    comment_create(item=item, user=user, body=body)


def _notify(item: AssessmentItem, event: str, user, note: str = "") -> None:
    from assessments.background.tasks import item_notification_enqueue

    # A background task after the commit (retried; a failure is kept for admins, never an error page).
    item_notification_enqueue(item=item, event=event, actor=user, note=note)
