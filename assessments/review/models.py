"""Suggested edits (track changes): proposed notes and/or rating against the version they were made on."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from assessments.framework.models import Rating
from assessments.history.records import ChangeOnlyHistoricalRecords
from assessments.workflow.models.assessment import AssessmentItem


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class SuggestionQuerySet(models.QuerySet):
    def open(self) -> "SuggestionQuerySet":
        return self.filter(status=SuggestionStatus.OPEN)

    def accepted(self) -> "SuggestionQuerySet":
        return self.filter(status=SuggestionStatus.ACCEPTED)


class Suggestion(models.Model):
    """A change to an item proposed by someone who does not (or does not want to) edit it directly.

    `base_*` keep the item as it was when the suggestion was made, so it can be rebased onto later versions
    (three-way merge) or shown as outdated with its text kept."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="suggestions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    base_version = models.PositiveIntegerField()
    base_notes = models.TextField(blank=True)
    base_rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    notes = models.TextField(blank=True, help_text="The proposed notes (the whole text).")
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True, help_text="Blank: no change.")
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    applied_version = models.PositiveIntegerField(null=True, blank=True, help_text="The version accepting made.")

    history = ChangeOnlyHistoricalRecords(
        indexes=[models.Index(fields=["item", "history_date"], name="hist_suggestion_item_date_idx")]
    )
    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["item", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"),
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.OPEN, decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status=SuggestionStatus.OPEN) & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="suggestion_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(notes=F("base_notes")) | ~Q(rating=""), name="suggestion_changes_something"
            ),
        ]

    def __str__(self) -> str:
        return f"Suggestion by {self.author} on {self.item}"

    @property
    def is_open(self) -> bool:
        return self.status == SuggestionStatus.OPEN

    @property
    def changes_notes(self) -> bool:
        return self.notes != self.base_notes


class DigestKind(models.TextChoices):
    DIGEST = "digest", "Daily digest"
    REMINDER = "reminder", "Due-date reminder"


class DigestSent(models.Model):
    """One row per person, day and kind of email sent by the daily jobs: never two of a kind on one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=DigestKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "kind"], name="digestsent_one_per_person_day_kind"),
            models.CheckConstraint(condition=Q(kind__in=DigestKind.values), name="digestsent_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} on {self.day}"


class ItemSeen(models.Model):
    """The version of an item a reviewer last had open, and the one they had seen before it.

    "Changes since my last review" starts from what the reviewer saw before the version they are looking at now:
    opening the editor to read the changes must not itself make them disappear."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    previous_version = models.PositiveIntegerField(null=True, blank=True)
    seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="itemseen_one_per_user_item"),
            models.CheckConstraint(
                condition=Q(previous_version__isnull=True) | Q(previous_version__lt=F("version")),
                name="itemseen_previous_before_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} saw {self.item} at version {self.version}"

    def base_before(self, current: int) -> int | None:
        """The newest version seen before `current`."""
        return self.version if self.version < current else self.previous_version


class MailPreference(models.Model):
    """What a person lets r2p email them beyond the messages of their own work (the defaults send everything)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference")
    daily_digest = models.BooleanField(
        default=True, help_text="Once a day: comments and mentions of the last 24 hours, and items waiting for you."
    )
    due_reminders = models.BooleanField(
        default=True, help_text="Before and after the due date of an assessment you work on that is not finished."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"
