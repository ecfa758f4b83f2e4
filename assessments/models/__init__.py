"""The domain model, one module per concept; import models from here."""

# The search index (assessments/search/) is a model of this app.
from assessments.search.models import SearchDocument

from .assessment import AssessmentItem, CountryAssessment, ItemKind, ItemStatus
from .citations import Citation, Source, SourceType
from .framework import Country, Cycle, Indicator, Rating, ThematicArea, Trend
from .publishing import Edition
from .workflow import Assignment, AssignmentRole, Comment

__all__ = [
    "AssessmentItem",
    "Assignment",
    "AssignmentRole",
    "Citation",
    "Comment",
    "Country",
    "CountryAssessment",
    "Cycle",
    "Edition",
    "Indicator",
    "ItemKind",
    "ItemStatus",
    "Rating",
    "SearchDocument",
    "Source",
    "SourceType",
    "ThematicArea",
    "Trend",
]
