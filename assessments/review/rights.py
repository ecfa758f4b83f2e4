"""Who may suggest and decide suggestions (built on `services.permissions`; the lead may move these there)."""

from assessments.models import AssessmentItem, ItemStatus
from assessments.workflow import permissions


def can_suggest_item(user, item: AssessmentItem) -> bool:
    """Everyone who may see and comment on an item suggests changes to it until it is approved."""
    return item.status != ItemStatus.APPROVED and permissions.can_comment_item(user, item)


def can_decide_suggestion(user, item: AssessmentItem) -> bool:
    """Whoever may edit the item now accepts (or rejects) suggestions on it."""
    return permissions.can_edit_item(user, item)
