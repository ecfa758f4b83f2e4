"""One row counter for every test that checks what a write path wrote (rows and history rows)."""

from assessments.models import (
    AssessmentItem,
    Assignment,
    Citation,
    Comment,
    Country,
    CountryAssessment,
    Cycle,
    Edition,
    Indicator,
    Source,
)

EDITORIAL = (CountryAssessment, AssessmentItem, Source, Citation, Comment, Assignment, Edition)


def row_counts(*models, history: bool = True) -> dict[str, int]:
    """Rows of each model (default: the editorial ones) and, with `history`, their historical rows."""
    counts = {}
    for model in models or EDITORIAL:
        counts[model.__name__] = model.objects.count()
        if history and hasattr(model, "history"):
            counts[f"{model.__name__} history"] = model.history.count()
    return counts


def history_rows() -> dict[str, int]:
    """Historical rows per editorial model."""
    return {model.__name__: model.history.count() for model in EDITORIAL}


__all__ = ["EDITORIAL", "Country", "Cycle", "Indicator", "history_rows", "row_counts"]
