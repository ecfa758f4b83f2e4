"""Who researches and who reviews each country assessment; editors and admins assign."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from assessments.accounts.services import EDITOR, RESEARCHER, REVIEWER
from assessments.models import AssessmentItem, Assignment, AssignmentRole, CountryAssessment, ItemStatus
from assessments.workflow import permissions

# The role group a user needs for each assignment role (editors and admins may take either).
ROLE_GROUPS = {AssignmentRole.RESEARCHER: RESEARCHER, AssignmentRole.REVIEWER: REVIEWER}


def assignable_users(role: str) -> QuerySet[User]:
    """Active users who may be given an assignment in this role."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[ROLE_GROUPS[role], EDITOR]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assignment_candidates(*, exclude: list[Assignment] = ()) -> dict[str, list[User]]:
    """Role → people who may be assigned in it, minus those already holding it (one query)."""
    taken = {(assignment.role, assignment.user_id) for assignment in exclude}
    users: dict[int, User] = {}
    groups: dict[int, set[str]] = {}
    rows = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[*ROLE_GROUPS.values(), EDITOR]) | Q(is_superuser=True))
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "username", "first_name", "last_name", "is_superuser", "groups__name")
    )
    for pk, username, first_name, last_name, is_superuser, group in rows:
        users.setdefault(pk, User(pk=pk, username=username, first_name=first_name, last_name=last_name))
        names = groups.setdefault(pk, set())
        if is_superuser or group == EDITOR:
            names.update(ROLE_GROUPS.values())
        elif group:
            names.add(group)
    return {
        role: [user for pk, user in users.items() if group in groups[pk] and (role, pk) not in taken]
        for role, group in ROLE_GROUPS.items()
    }


def _forget_cached_roles(user: User) -> None:
    user.__dict__.pop("_r2p_assigned_roles", None)


def assignment_problem(*, assignee: User, role: str) -> str:
    """Why `assignee` may not take `role` (empty when they may): the rule every way of assigning applies."""
    if role not in AssignmentRole.values:
        return f"{role!r} is not an assignment role."
    if not assignable_users(role).filter(pk=assignee.pk).exists():
        return f"{assignee} does not have the {ROLE_GROUPS[role]} role."
    return ""


@transaction.atomic
def assignment_create(
    *, country_assessment: CountryAssessment, assignee: User, role: str, user, reason: str | None = None
) -> Assignment:
    """Give `assignee` the role of researcher or reviewer on a country assessment."""
    if not permissions.can_assign(user):
        raise PermissionDenied("Only editors and admins assign people.")
    problem = assignment_problem(assignee=assignee, role=role)
    if problem:
        raise ValidationError(problem)
    from assessments.method.second import open_blind_ratings

    if open_blind_ratings(assignee, country_assessment):  # issue 19: assigning them would show the first ratings
        raise ValidationError(
            f"{assignee} has blind second ratings to give on {country_assessment}: an editor cancels them first."
        )
    if Assignment.objects.filter(country_assessment=country_assessment, user=assignee, role=role).exists():
        raise ValidationError(f"{assignee} is already {AssignmentRole(role).label.lower()} of {country_assessment}.")
    assignment = Assignment(country_assessment=country_assessment, user=assignee, role=role)
    assignment.full_clean()
    assignment._history_user = user
    assignment._change_reason = reason or f"assigned as {AssignmentRole(role).label.lower()}"
    assignment.save()
    _forget_cached_roles(assignee)
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, user) -> None:
    """Take an assignment away; the history keeps who had it and who removed it."""
    if not permissions.can_assign(user):
        raise PermissionDenied("Only editors and admins assign people.")
    assignment._history_user = user
    assignment._change_reason = f"unassigned as {assignment.get_role_display().lower()}"
    assignment.delete()
    if Assignment.user.is_cached(assignment):
        _forget_cached_roles(assignment.user)


@transaction.atomic
def item_review_ask(*, item: AssessmentItem, reviewer: User, user) -> Assignment:
    """An editor asks `reviewer` to review `item`, of any cycle (a correction to last cycle's annex too): the
    reviewer becomes a reviewer of the item's country assessment (kept if they already are one), so they reach the
    item and may approve it, and is told by email when the item is (or once it is) in review."""
    if not permissions.can_ask_review(user, item):
        raise PermissionDenied("Only editors ask for a review, of an item not approved yet.")
    existing = Assignment.objects.filter(
        country_assessment=item.country_assessment_id, user=reviewer, role=AssignmentRole.REVIEWER
    ).first()
    assignment = existing or assignment_create(
        country_assessment=item.country_assessment,
        assignee=reviewer,
        role=AssignmentRole.REVIEWER,
        user=user,
        reason=f"asked to review {item.label}",
    )
    if item.status == ItemStatus.IN_REVIEW:
        from assessments.background.tasks import item_notification_enqueue

        item_notification_enqueue(item=item, event="submitted", actor=user, note=f"Review asked of {reviewer}.")
    return assignment
