"""Review comments on items."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments.models import AssessmentItem, Comment
from assessments.search.services import search_index_update
from assessments.services import permissions


@transaction.atomic
def comment_create(*, item: AssessmentItem, user, body: str) -> Comment:
    """Add a comment to an item's thread."""
    if not permissions.can_comment_item(user, item):
        raise PermissionDenied("You may not comment on this item.")
    comment = Comment(item=item, author=user, body=body.strip())
    comment.full_clean()
    comment._history_user = user
    comment._change_reason = "commented"
    comment.save()
    search_index_update(comments=[comment])
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, user) -> Comment:
    """Mark a comment as dealt with."""
    if not permissions.can_comment_item(user, comment.item):
        raise PermissionDenied("You may not resolve this comment.")
    if comment.is_resolved:
        return comment
    comment.resolved_at = timezone.now()
    comment.resolved_by = user
    comment.full_clean()
    comment._history_user = user
    comment._change_reason = "resolved"
    comment.save()
    return comment
