"""Who works on which country assessment, and the review conversation on each item."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.history.records import ChangeOnlyHistoricalRecords
from assessments.limits import COMMENT_MAX_CHARS, max_chars
from assessments.workflow.models.assessment import AssessmentItem, CountryAssessment


class AssignmentRole(models.TextChoices):
    RESEARCHER = "researcher", "Researcher"
    REVIEWER = "reviewer", "Reviewer"


class AssignmentQuerySet(models.QuerySet):
    def researchers(self) -> "AssignmentQuerySet":
        return self.filter(role=AssignmentRole.RESEARCHER)

    def reviewers(self) -> "AssignmentQuerySet":
        return self.filter(role=AssignmentRole.REVIEWER)


class Assignment(models.Model):
    country_assessment = models.ForeignKey(CountryAssessment, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=12, choices=AssignmentRole.choices)
    due_date = models.DateField(null=True, blank=True, help_text="When this person's part is due.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = ChangeOnlyHistoricalRecords(
        indexes=[models.Index(fields=["country_assessment", "history_date"], name="hist_assignment_ca_date_idx")]
    )
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["country_assessment", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["country_assessment", "user", "role"], name="assignment_unique_user_role"),
            models.CheckConstraint(condition=Q(role__in=AssignmentRole.values), name="assignment_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.country_assessment}"


class CommentKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class CommentQuerySet(models.QuerySet):
    def open(self) -> "CommentQuerySet":
        return self.filter(resolved_at__isnull=True)

    def threads(self) -> "CommentQuerySet":
        """Comments that start a thread (not replies)."""
        return self.filter(parent__isnull=True)


class Comment(models.Model):
    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=COMMENT_MAX_CHARS, validators=[max_chars(COMMENT_MAX_CHARS)])
    created_at = models.DateTimeField(auto_now_add=True)
    # Review threads (assessments/review): replies, a request for changes, and the passage commented on.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(max_length=20, choices=CommentKind.choices, default=CommentKind.COMMENT)
    item_version = models.PositiveIntegerField(null=True, blank=True, help_text="The item version commented on.")
    anchor_quote = models.TextField(blank=True, help_text="The passage of the notes commented on.")
    anchor_prefix = models.CharField(max_length=80, blank=True)
    anchor_suffix = models.CharField(max_length=80, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = ChangeOnlyHistoricalRecords(
        indexes=[models.Index(fields=["item", "history_date"], name="hist_comment_item_date_idx")]
    )
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["item", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="comment_resolved_has_who_and_when",
            ),
            models.CheckConstraint(condition=Q(kind__in=CommentKind.values), name="comment_kind_valid"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(anchor_quote=""), name="comment_reply_has_no_anchor"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.item}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class ItemContributionQuerySet(models.QuerySet):
    def since_approval(self, item: AssessmentItem) -> "ItemContributionQuerySet":
        """Who wrote the item's content since it was last approved (its unreviewed words)."""
        return self.filter(item=item, version__gt=item.approved_version)


class ItemContribution(models.Model):
    """One person's change to an item's content, written by the content service with every new version.

    Four-eyes rests on these: nobody may approve an item whose content they changed since its last approval,
    whoever clicked "submit". A change is attributed to everyone who wrote it (an accepted suggestion: its
    author and the person who accepted it)."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="contributions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(help_text="The item version this change produced.")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemContributionQuerySet.as_manager()

    class Meta:
        ordering = ["item", "version", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version", "user"], name="itemcontribution_unique_user_version"),
        ]
        indexes = [models.Index(fields=["item", "user", "version"], name="itemcontribution_author_idx")]

    def __str__(self) -> str:
        return f"{self.user} wrote v{self.version} of {self.item}"
