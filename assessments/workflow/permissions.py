"""States and rights in one place: what a user may do to a country assessment or an item now.

Roles come from groups, scope from assignments, state from the item's status. Views, templates (through
`item_actions`), services, the admin and the importers ask this module; nothing else compares statuses to decide
a right.
"""

from django.contrib.auth.models import AnonymousUser, User

from assessments.accounts.services import EDITOR, RESEARCHER, REVIEWER
from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    CountryAssessment,
    ItemContribution,
    ItemStatus,
)

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


def _is_active(user: AnyUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_admin(user: AnyUser | None) -> bool:
    return _is_active(user) and user.is_superuser


def is_editor(user: AnyUser | None) -> bool:
    return _is_active(user) and (user.is_superuser or EDITOR in _group_names(user))


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


def wrote_since_approval(user: AnyUser, item: AssessmentItem) -> bool:
    """Whether the user changed the item's content since its last approval (cached on the item per request)."""
    if not user.is_authenticated:
        return False
    cache = item.__dict__.setdefault("_r2p_authors_since_approval", {})
    if user.pk not in cache:
        cache[user.pk] = ItemContribution.objects.since_approval(item).filter(user=user).exists()
    return cache[user.pk]


def can_review_item(user: AnyUser, item: AssessmentItem) -> bool:
    """Assigned reviewers (and editors) review items in review; nobody approves words they wrote since the last
    approval (four-eyes on content: submitting someone else's text does not make it reviewed)."""
    if item.status != ItemStatus.IN_REVIEW:
        return False
    if not (is_editor(user) or is_reviewer_of(user, item.country_assessment)):
        return False
    return not wrote_since_approval(user, item)


def reads_as_reviewer(user: AnyUser, item: AssessmentItem) -> bool:
    """Whether what the user has seen of the item counts for "changes since my last review" (its reviewers and
    editors, in any state)."""
    return is_editor(user) or is_reviewer_of(user, item.country_assessment)


def can_reopen_item(user: AnyUser, item: AssessmentItem) -> bool:
    return item.status == ItemStatus.APPROVED and is_editor(user)


def can_withdraw_item(user: AnyUser, item: AssessmentItem) -> bool:
    """Its researchers (and editors) take a submission back while it is in review (the service checks that no
    reviewer has acted on it yet)."""
    return item.status == ItemStatus.IN_REVIEW and (is_editor(user) or is_researcher_of(user, item.country_assessment))


def can_ask_review(user: AnyUser, item: AssessmentItem) -> bool:
    """Editors ask a reviewer to review an item of any cycle (a correction to a past cycle's published annex
    included) until it is approved; being asked makes the reviewer a reviewer of the item's country assessment."""
    return item.status != ItemStatus.APPROVED and is_editor(user)


def can_comment_item(user: AnyUser, item: AssessmentItem) -> bool:
    return can_view_assessment(user, item.country_assessment)


def can_assign(user: AnyUser) -> bool:
    return is_editor(user)


def can_open_cycle(user: AnyUser) -> bool:
    """Editors and admins open a new cycle from an earlier one and set up its framework before it opens."""
    return is_editor(user)


def can_add_countries(user: AnyUser) -> bool:
    """Editors start country assessments in a cycle (from the cycle page or the admin)."""
    return is_editor(user)


def can_import_content(user: AnyUser) -> bool:
    """Editors and admins import data files; changed content lands as a draft."""
    return is_editor(user)


def can_import_archive(user: AnyUser) -> bool:
    """Editors and admins bring in the published record of past cycles (recorded as imported, not as anyone's
    approval)."""
    return is_editor(user)


def can_write_content(user: AnyUser, item: AssessmentItem, kind: str) -> bool:
    """Whether `user` may write `item`'s content by a write of `kind` (see services.content.WriteKind)."""
    if kind == "edit":
        return can_edit_item(user, item)
    if kind == "import":
        return can_import_content(user)
    if kind == "archive":
        return can_import_archive(user)
    if kind == "maintenance":
        return is_editor(user)
    return False


# What the item editor offers, named for the templates: {% if "approve" in actions %}.
EDIT, SUBMIT, APPROVE, REQUEST_CHANGES, REOPEN, COMMENT, WITHDRAW, ASK_REVIEW = (
    "edit",
    "submit",
    "approve",
    "request_changes",
    "reopen",
    "comment",
    "withdraw",
    "ask_review",
)


def item_actions(user: AnyUser, item: AssessmentItem) -> frozenset[str]:
    """Every action the user may take on the item now."""
    actions = set()
    if can_edit_item(user, item):
        actions |= {EDIT, SUBMIT}
    if can_review_item(user, item):
        actions |= {APPROVE, REQUEST_CHANGES}
    if can_reopen_item(user, item):
        actions.add(REOPEN)
    if can_comment_item(user, item):
        actions.add(COMMENT)
    if can_withdraw_item(user, item):
        actions.add(WITHDRAW)
    if can_ask_review(user, item):
        actions.add(ASK_REVIEW)
    return frozenset(actions)


def waits_for_others(user: AnyUser, item: AssessmentItem) -> bool:
    """The item is in review with content this user wrote: someone else must approve it."""
    return item.status == ItemStatus.IN_REVIEW and wrote_since_approval(user, item)


# --- the rest of the product's rights, kept here with the workflow's ------------------------------------------


def can_suggest_item(user: AnyUser, item: AssessmentItem) -> bool:
    """Everyone who may see and comment on an item suggests changes to it until it is approved."""
    return item.status != ItemStatus.APPROVED and can_comment_item(user, item)


def can_decide_suggestion(user: AnyUser, item: AssessmentItem) -> bool:
    """Whoever may edit the item now accepts (or rejects) suggestions on it."""
    return can_edit_item(user, item)


def can_publish(user: AnyUser) -> bool:
    return is_editor(user)


def can_preview_draft(user: AnyUser, country_assessment: CountryAssessment) -> bool:
    """Editors, admins and the people assigned to the assessment may export a draft preview."""
    if not user.is_authenticated:
        return False
    return is_editor(user) or bool(_assigned_roles(user, country_assessment))


def can_edit_sources(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("assessments.change_source"))


def can_add_sources(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("assessments.add_source"))


def can_merge_sources(user: AnyUser) -> bool:
    """Merging rewrites notes in every country that cites the source: editors and admins only."""
    return can_edit_sources(user) and is_editor(user)


def can_manage_tasks(user: AnyUser) -> bool:
    """The background queue's failures and retries: admins."""
    return is_admin(user)


def can_exchange_data(user: AnyUser) -> bool:
    """Editors and admins import and export data; non-staff users are answered without a query."""
    return bool(user.is_authenticated and user.is_staff and is_editor(user))


# --- second assessments (issue 19, part 5: blind ratings) -------------------------------------------------------


def blind_rater_problem(researcher: AnyUser, country_assessment: CountryAssessment) -> str:
    """Why `researcher` may not rate this assessment's indicators blind (empty when they may).

    Blind means they cannot see the first rating: a researcher (by role) who is neither an editor or admin (who
    see every draft) nor assigned to the assessment in any role."""
    if not _is_active(researcher) or RESEARCHER not in _group_names(researcher):
        return f"{researcher} does not have the researcher role."
    if is_editor(researcher):
        return f"{researcher} is an editor and sees every draft, so cannot rate blind."
    if _assigned_roles(researcher, country_assessment):
        return f"{researcher} is assigned to {country_assessment} and sees its ratings, so cannot rate it blind."
    return ""


def may_be_asked_to_rate_blind(user: AnyUser) -> bool:
    """Whether the user may ever be a blind second rater (a researcher who is not an editor); no query."""
    return _is_active(user) and RESEARCHER in _group_names(user) and not is_editor(user)


def can_request_second_assessment(user: AnyUser) -> bool:
    return is_editor(user)


def can_cancel_second_assessment(user: AnyUser, second) -> bool:
    return second.is_requested and is_editor(user)


def can_give_second_rating(user: AnyUser, second) -> bool:
    """Only the researcher asked gives the blind rating, once, while it is requested."""
    return second.is_requested and _is_active(user) and second.researcher_id == user.pk


def can_settle_second_assessment(user: AnyUser, second, item: AssessmentItem) -> bool:
    """The item's reviewers (and editors) settle a disagreement; never one of the two researchers."""
    if not second.needs_settling or not _is_active(user) or user.pk == second.researcher_id:
        return False
    if is_researcher_of(user, item.country_assessment) or user.pk == second.first_researcher_id:
        return False
    return is_editor(user) or is_reviewer_of(user, item.country_assessment)


def can_view_agreement(user: AnyUser) -> bool:
    """The agreement figures of a cycle name researchers and ratings of every country: editors."""
    return is_editor(user)
