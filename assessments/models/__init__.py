"""The domain model, one module per concept; import models from here."""

from .assessment import AssessmentItem, CountryAssessment, ItemKind, ItemStatus
from .background import EditionFile, FailedTask, FailedTaskStatus, ReleaseStatus, ScheduledRelease
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
    "EditionFile",
    "FailedTask",
    "FailedTaskStatus",
    "Indicator",
    "ItemKind",
    "ItemStatus",
    "Rating",
    "ReleaseStatus",
    "ScheduledRelease",
    "Source",
    "SourceType",
    "ThematicArea",
    "Trend",
]
