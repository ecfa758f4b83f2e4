"""Reads of the review feature: versions from history, threads, suggestions, what changed since a review."""

from assessments.models import AssessmentItem


def notes_at_version(item: AssessmentItem, version: int) -> str | None:
    """The item's notes as saved at `version` (from its history), or None when history does not have it."""
    row = item.history.filter(version=version).order_by("-history_date", "-history_id").values("notes").first()
    return None if row is None else row["notes"]
