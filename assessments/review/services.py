"""Writes of the review feature. Item content is only ever written through `services.workflow.item_update`."""

from assessments.models import AssessmentItem
from assessments.review.merge import Merge, merge
from assessments.review.selectors import notes_at_version


def conflict_merge(theirs: AssessmentItem, *, expected_version: int, mine: str) -> Merge | None:
    """Merge the notes someone saved from `expected_version` with the newer saved notes (None: base unknown)."""
    base = notes_at_version(theirs, expected_version)
    if base is None:
        return None
    return merge(base, mine, theirs.notes)
