"""Second assessments (issue 19, part 5): an editor asks a second researcher to rate selected indicators blind;
the reviewer settles disagreements.

Each service: lock, check state and right (workflow.permissions), change, `full_clean()`, save with history user
and reason, notify on commit (a background task). Settling never writes the item: a different settled rating
becomes a reviewer's suggestion on the item (accepted through the one write path by whoever may edit it), so the
item's rating and notes stay written by its researchers.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.accounts.services import display_name
from assessments.models import AssessmentItem, Assignment, AssignmentRole, ItemKind, ItemStatus, Rating
from assessments.workflow import content, permissions
from assessments.workflow.content import WorkflowError

from .models import OPEN_SECOND_STATUSES, SecondAssessment, SecondAssessmentStatus


def _save(second: SecondAssessment, *, user, reason: str) -> None:
    second.full_clean()
    second._history_user = user
    second._change_reason = reason[:100]
    second.save()


def _notify(second_ids: list[int], event: str) -> None:
    from .tasks import second_assessment_notification_enqueue

    second_assessment_notification_enqueue(second_ids=second_ids, event=event)


@transaction.atomic
def second_assessment_request(
    *, items: Sequence[AssessmentItem], researcher, user
) -> tuple[list[SecondAssessment], list[AssessmentItem]]:
    """Ask `researcher` to rate `items` (indicators of one cycle, one or several countries) blind.

    Items that already have a second assessment in progress are skipped; returns (created, skipped). Refused as a
    whole when the researcher could see a first rating (assigned to one of the countries, or an editor)."""
    if not permissions.can_request_second_assessment(user):
        raise PermissionDenied("Only editors ask for second assessments.")
    if not items:
        raise ValidationError("Choose at least one indicator of one country.")
    locked = list(content.items_locked(items).values())
    if any(item.kind != ItemKind.INDICATOR for item in locked):
        raise ValidationError("Only indicators get a second rating.")
    if len({item.country_assessment.cycle_id for item in locked}) > 1:
        raise ValidationError("Ask for second ratings within one cycle at a time.")
    if researcher.pk == user.pk:
        raise ValidationError("Ask someone else: a second rating is given by another researcher.")
    problems = sorted(
        {
            problem
            for assessment in {item.country_assessment for item in locked}
            if (problem := permissions.blind_rater_problem(researcher, assessment))
        }
    )
    if problems:
        raise ValidationError(problems)
    busy = set(
        SecondAssessment.objects.filter(item__in=locked, status__in=OPEN_SECOND_STATUSES).values_list(
            "item_id", flat=True
        )
    )
    created, skipped = [], []
    for item in locked:
        if item.pk in busy:
            skipped.append(item)
            continue
        second = SecondAssessment(item=item, researcher=researcher, requested_by=user)
        _save(second, user=user, reason=f"second rating asked of {display_name(researcher)}")
        created.append(second)
    if created:
        _notify([second.pk for second in created], "requested")
    return created, skipped


def _locked(second: SecondAssessment) -> tuple[SecondAssessment, AssessmentItem]:
    second = SecondAssessment.objects.select_for_update().get(pk=second.pk)
    item = content.item_locked(AssessmentItem(pk=second.item_id))  # only its key is read
    second.item = item
    return second, item


def first_researcher_of(item: AssessmentItem):
    """Who gave the first rating: the last writer of the item when they are one of its researchers, else its
    first researcher by name, else the last writer (an editor drafting it)."""
    researchers = [
        assignment.user
        for assignment in Assignment.objects.filter(
            country_assessment_id=item.country_assessment_id, role=AssignmentRole.RESEARCHER
        )
        .select_related("user")
        .order_by("user__username")
    ]
    if item.last_edited_by_id in {user.pk for user in researchers}:
        return item.last_edited_by
    return researchers[0] if researchers else item.last_edited_by


@transaction.atomic
def second_assessment_submit(
    *, second: SecondAssessment, user, rating: str, justification: str = ""
) -> SecondAssessment:
    """The second researcher's blind rating; the item's rating now is kept beside it as the first rating."""
    second, item = _locked(second)
    if not permissions.can_give_second_rating(user, second):
        raise PermissionDenied("This second rating is not yours to give now.")
    if rating not in Rating.values:
        raise ValidationError("Choose a rating.")
    second.rating = rating
    second.justification = justification.replace("\r\n", "\n").strip()
    second.submitted_at = timezone.now()
    second.first_rating = item.rating
    second.first_researcher = first_researcher_of(item)
    second.status = SecondAssessmentStatus.SUBMITTED
    _save(second, user=user, reason=f"blind rating given: {Rating(rating).label}")
    _notify([second.pk], "submitted")
    return second


@transaction.atomic
def second_assessment_settle(*, second: SecondAssessment, user, rating: str, note: str = "") -> SecondAssessment:
    """The reviewer (or an editor) decides a disagreement: records the decision and, when it differs from the
    item's rating, suggests that rating on the item (its researchers accept it: the one write path)."""
    second, item = _locked(second)
    if not permissions.can_settle_second_assessment(user, second, item):
        raise PermissionDenied("You may not settle this second assessment.")
    if rating not in Rating.values:
        raise ValidationError("Choose the rating you settle on.")
    note = note.replace("\r\n", "\n").strip()
    if rating != item.rating and item.status == ItemStatus.APPROVED:
        raise WorkflowError(
            f"{item} is approved as {item.get_rating_display() or 'not rated'}: an editor reopens it first "
            "(the reason is recorded), then settle on another rating."
        )
    second.status = SecondAssessmentStatus.SETTLED
    second.settled_by = user
    second.settled_at = timezone.now()
    second.settled_rating = rating
    second.settle_note = note
    _save(second, user=user, reason=f"settled on {Rating(rating).label}")
    _record_on_item(second, item, user=user, rating=rating, note=note)
    return second


def _record_on_item(second: SecondAssessment, item: AssessmentItem, *, user, rating: str, note: str) -> None:
    """A comment for the item's researchers saying what was decided and why, and the suggestion if any."""
    from assessments.review.services import suggestion_create
    from assessments.workflow.comments import comment_create

    label = Rating(rating).label
    first = Rating(second.first_rating).label if second.first_rating else "not rated"
    body = (
        f"Second assessment settled on {label} (first rating {first}, blind second rating "
        f"{Rating(second.rating).label} by {display_name(second.researcher)})."
    )
    if rating != item.rating:
        suggestion_create(item=item, user=user, notes=item.notes, rating=rating)
        body += f" I suggest the rating {label}: accept the suggestion, or reply here."
    if note:
        body += f"\n\n{note}"
    comment_create(item=item, user=user, body=body)


@transaction.atomic
def second_assessment_cancel(*, second: SecondAssessment, user) -> SecondAssessment:
    second, _ = _locked(second)
    if not permissions.can_cancel_second_assessment(user, second):
        raise PermissionDenied("Only editors cancel a second rating that is not given yet.")
    second.status = SecondAssessmentStatus.CANCELLED
    _save(second, user=user, reason="cancelled")
    return second


def open_blind_ratings(user, country_assessment) -> bool:
    """Whether `user` has blind ratings to give on this assessment (assigning them to it would unblind them)."""
    return SecondAssessment.objects.filter(
        researcher=user, item__country_assessment=country_assessment, status=SecondAssessmentStatus.REQUESTED
    ).exists()
