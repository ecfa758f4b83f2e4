"""Who may do what to which country assessment: roles from groups, scope from assignments."""

from django.contrib.auth.models import AnonymousUser, User

from assessments.models import AssessmentItem, Assignment, AssignmentRole, CountryAssessment, ItemStatus
from assessments.services.accounts import EDITOR, RESEARCHER, REVIEWER

ROLES = (RESEARCHER, REVIEWER, EDITOR)

AnyUser = User | AnonymousUser


def _assigned_roles(user: AnyUser, country_assessment: CountryAssessment) -> set[str]:
    """Roles of the user on this country assessment, cached on the user for the request."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_r2p_assigned_roles", {})
    if country_assessment.pk not in cache:
        cache[country_assessment.pk] = set(
            Assignment.objects.filter(country_assessment=country_assessment, user=user).values_list("role", flat=True)
        )
    return cache[country_assessment.pk]


def _group_names(user: AnyUser) -> set[str]:
    """Names of the user's role groups, read once per request and cached on the user."""
    if not user.is_authenticated:
        return set()
    if "_r2p_group_names" not in user.__dict__:
        user.__dict__["_r2p_group_names"] = {group.name for group in user.groups.all()}
    return user.__dict__["_r2p_group_names"]


def role_names(user: AnyUser) -> list[str]:
    """The user's roles for display: Admin, then the role groups."""
    names = ["Admin"] if is_admin(user) else []
    return names + sorted(name for name in _group_names(user) if name in ROLES)


def is_admin(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def is_editor(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or EDITOR in _group_names(user))


def is_researcher_of(user: AnyUser, country_assessment: CountryAssessment) -> bool:
    return AssignmentRole.RESEARCHER in _assigned_roles(user, country_assessment)


def is_reviewer_of(user: AnyUser, country_assessment: CountryAssessment) -> bool:
    return AssignmentRole.REVIEWER in _assigned_roles(user, country_assessment)


def can_view_assessment(user: AnyUser, country_assessment: CountryAssessment) -> bool:
    """Drafts and their history are visible to editors, admins and the people assigned."""
    return is_editor(user) or bool(_assigned_roles(user, country_assessment))


def visible_assessment_ids(user: AnyUser) -> set[int] | None:
    """The country assessments whose drafts the user may see: None for all (editors, admins), else the assigned."""
    if is_editor(user):
        return None
    if not user.is_authenticated:
        return set()
    return set(Assignment.objects.filter(user=user).values_list("country_assessment_id", flat=True))


def can_edit_item(user: AnyUser, item: AssessmentItem) -> bool:
    """Assigned researchers (and editors) edit items that are draft or returned with changes requested."""
    if item.status not in (ItemStatus.DRAFT, ItemStatus.CHANGES_REQUESTED):
        return False
    return is_editor(user) or is_researcher_of(user, item.country_assessment)


def can_submit_item(user: AnyUser, item: AssessmentItem) -> bool:
    return can_edit_item(user, item)


def can_review_item(user: AnyUser, item: AssessmentItem) -> bool:
    """Assigned reviewers (and editors) review items in review; nobody approves their own last change."""
    if item.status != ItemStatus.IN_REVIEW:
        return False
    if item.last_edited_by_id is not None and item.last_edited_by_id == user.pk:
        return False
    return is_editor(user) or is_reviewer_of(user, item.country_assessment)


def can_reopen_item(user: AnyUser, item: AssessmentItem) -> bool:
    return item.status == ItemStatus.APPROVED and is_editor(user)


def can_withdraw_item(user: AnyUser, item: AssessmentItem) -> bool:
    """Its researchers (and editors) take a submission back while it is in review (the service checks that no
    reviewer has acted on it yet)."""
    return item.status == ItemStatus.IN_REVIEW and (is_editor(user) or is_researcher_of(user, item.country_assessment))


def can_comment_item(user: AnyUser, item: AssessmentItem) -> bool:
    return can_view_assessment(user, item.country_assessment)


def can_assign(user: AnyUser) -> bool:
    return is_editor(user)
