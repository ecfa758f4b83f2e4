"""The country assessment and its items; who works on them and the review around them."""

from .assessment import AssessmentItem, AssessmentItemQuerySet, CountryAssessment, ItemKind, ItemStatus
from .review import (
    Assignment,
    AssignmentQuerySet,
    AssignmentRole,
    Comment,
    CommentQuerySet,
    ItemContribution,
    ItemContributionQuerySet,
)

__all__ = [
    "AssessmentItem",
    "AssessmentItemQuerySet",
    "Assignment",
    "AssignmentQuerySet",
    "AssignmentRole",
    "Comment",
    "CommentQuerySet",
    "CountryAssessment",
    "ItemContribution",
    "ItemContributionQuerySet",
    "ItemKind",
    "ItemStatus",
]
