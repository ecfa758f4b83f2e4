"""The domain model, one module per concept; import models from here."""

from assessments.background.models import EditionFile, FailedTask, FailedTaskStatus, ReleaseStatus, ScheduledRelease
from assessments.citations.models import Citation, Source, SourceType
from assessments.framework.models import Country, Cycle, Indicator, Rating, ThematicArea, Trend
from assessments.method.models import (  # issue 19
    IndicatorGuidance,
    RatingChangeWaiver,
    SecondAssessment,
    SecondAssessmentStatus,
)
from assessments.publishing.models import Edition

# The search index (assessments/search/) is a model of this app.
from assessments.search.models import SearchDocument
from assessments.workflow.models.assessment import AssessmentItem, CountryAssessment, ItemKind, ItemStatus
from assessments.workflow.models.review import Assignment, AssignmentRole, Comment, CommentKind, ItemContribution

__all__ = [
    "AssessmentItem",
    "Assignment",
    "AssignmentRole",
    "Citation",
    "Comment",
    "CommentKind",
    "Country",
    "CountryAssessment",
    "Cycle",
    "Edition",
    "EditionFile",
    "FailedTask",
    "FailedTaskStatus",
    "Indicator",
    "IndicatorGuidance",
    "ItemContribution",
    "ItemKind",
    "ItemStatus",
    "Rating",
    "RatingChangeWaiver",
    "SearchDocument",
    "SecondAssessment",
    "SecondAssessmentStatus",
    "ReleaseStatus",
    "ScheduledRelease",
    "Source",
    "SourceType",
    "ThematicArea",
    "Trend",
]

# Models of feature packages, registered with the app here.
from assessments.review.models import (  # noqa: E402
    DigestKind,
    DigestSent,
    ItemSeen,
    MailPreference,
    Suggestion,
    SuggestionStatus,
)

__all__ += ["DigestKind", "DigestSent", "ItemSeen", "MailPreference", "Suggestion", "SuggestionStatus"]

# The archive import (issue 15): uploads being read, and the original files of imported editions.
from assessments.archive.models import ArchiveUpload, ArchiveUploadStatus, EditionOriginal  # noqa: E402

__all__ += ["ArchiveUpload", "ArchiveUploadStatus", "EditionOriginal"]
