"""Helpers shared by the history tests."""

from assessments.models import AssessmentItem, Assignment, Citation, Comment, CountryAssessment, Edition, Source

EDITORIAL = (CountryAssessment, AssessmentItem, Source, Citation, Comment, Assignment, Edition)


def history_rows() -> dict[str, int]:
    """Number of historical rows per editorial model."""
    return {model.__name__: model.history.count() for model in EDITORIAL}


def new_rows(before: dict[str, int]) -> dict[str, int]:
    """Historical rows written since `before`, per model, leaving out models with none."""
    after = history_rows()
    return {name: after[name] - count for name, count in before.items() if after[name] != count}
