"""Restoring an item's earlier content as a new revision (history itself is never rewritten)."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from assessments.history.timeline import CONTENT_FIELDS, item_history, revision_number
from assessments.models import AssessmentItem
from assessments.workflow.services import item_update


class RevisionNotFound(ObjectDoesNotExist):
    """The revision does not belong to the item's history."""


@transaction.atomic
def item_revert(*, item: AssessmentItem, revision_id: int, user, expected_version: int) -> AssessmentItem:
    """Save the rating, trend, trend reason and notes of revision `revision_id` as the item's next revision.

    Goes through `item_update`, so the edit right, optimistic locking (`expected_version`), citation sync and
    history apply as for any edit. The change reason is "reverted to revision N", N being the revision's
    stable 1-based number in the item's timeline (see assessments.history.timeline). Restoring content equal
    to the current content changes nothing and writes no revision. Status is never restored.
    """
    record = item_history(item).filter(history_id=revision_id).first()
    if record is None:
        raise RevisionNotFound(f"Revision {revision_id} is not in the history of {item}.")
    content = {name: getattr(record, name) for name in CONTENT_FIELDS}
    return item_update(
        item=item,
        user=user,
        expected_version=expected_version,
        reason=f"reverted to revision {revision_number(record)}",
        **content,
    )
