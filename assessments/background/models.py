"""Background work: the rendered files of an edition, failed tasks kept for a retry, scheduled releases."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.framework.models import Cycle
from assessments.publishing.models import Edition
from assessments.workflow.models.assessment import CountryAssessment


class HashedStorageFile(models.Model):
    """A file stored whole in the default storage under a name that contains its SHA-256 (background.files)."""

    name = models.CharField(max_length=255, help_text="Storage name; contains the SHA-256 of the content.")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        abstract = True


class EditionFile(HashedStorageFile):
    """One format of one published edition, rendered once by a task and kept in the default storage.

    The row is written only after the whole file is stored, so a row always names a complete file."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="files")
    fmt = models.CharField(max_length=8)
    renderer_version = models.PositiveSmallIntegerField()
    rendered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "fmt", "renderer_version"], name="editionfile_unique_edition_fmt_version"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FailedTaskStatus(models.TextChoices):
    FAILED = "failed", "Failed"
    RETRIED = "retried", "Retried"


class FailedTask(models.Model):
    """A background task that failed after its last attempt, on any task backend, kept until retried."""

    task_path = models.CharField(max_length=255)
    args_kwargs = models.JSONField(default=dict)
    backend = models.CharField(max_length=32)
    result_id = models.CharField(max_length=64)
    exception_class = models.CharField(max_length=255, blank=True)
    traceback = models.TextField(blank=True)
    failed_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=FailedTaskStatus.choices, default=FailedTaskStatus.FAILED)
    retried_at = models.DateTimeField(null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-failed_at"]
        constraints = [
            models.UniqueConstraint(fields=["backend", "result_id"], name="failedtask_unique_result"),
            models.CheckConstraint(
                condition=Q(status="failed") | Q(retried_at__isnull=False), name="failedtask_retried_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_path} ({self.result_id})"

    @property
    def error(self) -> str:
        """The last line of the traceback: the exception and its message."""
        lines = [line for line in self.traceback.strip().splitlines() if line.strip()]
        return lines[-1] if lines else self.exception_class


class ReleaseStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Published"
    PARTIAL = "partial", "Partly published"
    CANCELLED = "cancelled", "Cancelled"


class ScheduledRelease(models.Model):
    """An editor's order to publish one annex, or every approved annex of a cycle, at a given moment."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    country_assessment = models.ForeignKey(
        CountryAssessment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty: every approved annex of the cycle.",
    )
    publish_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What the release published and what it could not.")

    class Meta:
        ordering = ["publish_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "cancelled"]) | Q(finished_at__isnull=False),
                name="scheduledrelease_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        what = str(self.country_assessment) if self.country_assessment_id else f"cycle {self.cycle.year}"
        return f"Release of {what} at {self.publish_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status == ReleaseStatus.SCHEDULED
