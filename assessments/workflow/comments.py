"""Review comments on items: threads (optionally on a passage of the notes), replies, resolving."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments.models import AssessmentItem, Comment, CommentKind
from assessments.search.services import search_index_update
from assessments.workflow import permissions


@transaction.atomic
def comment_create(
    *,
    item: AssessmentItem,
    user,
    body: str,
    kind: str = CommentKind.COMMENT,
    parent: Comment | None = None,
    anchor=None,
    item_version: int | None = None,
    notify: bool = True,
) -> Comment:
    """Add a comment to an item's thread (a reply when `parent` is given; on a passage when `anchor` is).

    With `notify`, the people concerned are emailed once the comment is committed (review/notifications.py);
    comments made by a transition (approve, request changes) are announced by the transition's own email.
    """
    if not permissions.can_comment_item(user, item):
        raise PermissionDenied("You may not comment on this item.")
    comment = Comment(
        item=item, author=user, body=body.strip(), kind=kind, parent=parent, item_version=item_version or item.version
    )
    if anchor is not None:
        comment.anchor_quote, comment.anchor_prefix, comment.anchor_suffix = anchor.quote, anchor.prefix, anchor.suffix
    comment.full_clean()
    comment._history_user = user
    comment._change_reason = "replied" if parent else "commented"
    comment.save()
    if notify:
        from assessments.review.notifications import notify_comment

        transaction.on_commit(lambda: notify_comment(comment_id=comment.pk), robust=True)
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


@transaction.atomic
def comment_reopen(*, comment: Comment, user) -> Comment:
    """Reopen a resolved thread."""
    if not permissions.can_comment_item(user, comment.item):
        raise PermissionDenied("You may not reopen this comment.")
    if not comment.is_resolved:
        return comment
    comment.resolved_at = None
    comment.resolved_by = None
    comment.full_clean()
    comment._history_user = user
    comment._change_reason = "reopened"
    comment.save()
    return comment
