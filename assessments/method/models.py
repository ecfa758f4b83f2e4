"""Tables of the method: codebook guidance per indicator, waivers of the change-rationale rule, and blind second
assessments of selected items (issue 19, part 5)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from assessments.framework.models import Indicator, Rating
from assessments.history.records import ChangeOnlyHistoricalRecords
from assessments.workflow.models.assessment import AssessmentItem

LEVEL_FIELDS = ("very_strong", "strong", "fair", "weak", "very_weak")  # Rating values, strongest first


class IndicatorGuidance(models.Model):
    """The codebook entry of one indicator of one cycle: the question it answers and what each level means."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="guidance")
    question = models.TextField(blank=True, help_text="The question a rating of this indicator answers.")
    very_strong = models.TextField("Very Strong means", blank=True)
    strong = models.TextField("Strong means", blank=True)
    fair = models.TextField("Fair means", blank=True)
    weak = models.TextField("Weak means", blank=True)
    very_weak = models.TextField("Very Weak means", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = ChangeOnlyHistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["indicator__cycle", "indicator__position"]
        verbose_name_plural = "indicator guidance"

    def __str__(self) -> str:
        return f"Guidance for {self.indicator}"

    @property
    def levels(self) -> list[tuple[Rating, str]]:
        """(rating, what it means for this indicator), strongest first."""
        return [(Rating(name), getattr(self, name)) for name in LEVEL_FIELDS]

    @property
    def is_empty(self) -> bool:
        return not self.question.strip() and not any(getattr(self, name).strip() for name in LEVEL_FIELDS)


class RatingChangeWaiver(models.Model):
    """An editor's decision that an item's change of rating needs no rationale; valid for the rating it names."""

    item = models.OneToOneField(AssessmentItem, on_delete=models.CASCADE, related_name="rating_change_waiver")
    rating = models.CharField(max_length=12, choices=Rating.choices, help_text="The rating the waiver is for.")
    reason = models.CharField(max_length=500)
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    waived_at = models.DateTimeField(auto_now=True)

    history = ChangeOnlyHistoricalRecords(excluded_fields=["waived_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__in=Rating.values), name="ratingchangewaiver_rating_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="ratingchangewaiver_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Rationale waived for {self.item}"

    def covers(self, item: AssessmentItem) -> bool:
        return self.rating == item.rating


class SecondAssessmentStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"  # waiting for the second researcher's blind rating
    SUBMITTED = "submitted", "Submitted"  # rated; agrees with the first rating, or awaits the reviewer's settling
    SETTLED = "settled", "Settled"  # a disagreement the item's reviewer (or an editor) decided
    CANCELLED = "cancelled", "Cancelled"  # withdrawn by an editor before it was rated


OPEN_SECOND_STATUSES = (SecondAssessmentStatus.REQUESTED, SecondAssessmentStatus.SUBMITTED)
JUSTIFICATION_MAX_CHARS = 2_000


class SecondAssessmentQuerySet(models.QuerySet):
    def rated(self) -> "SecondAssessmentQuerySet":
        return self.filter(status__in=[SecondAssessmentStatus.SUBMITTED, SecondAssessmentStatus.SETTLED])

    def to_settle(self) -> "SecondAssessmentQuerySet":
        """Submitted ratings that differ from the first rating: the item's reviewer decides."""
        return self.filter(status=SecondAssessmentStatus.SUBMITTED).exclude(rating=F("first_rating"))


class SecondAssessment(models.Model):
    """A second researcher's blind rating of one indicator item, asked for by an editor.

    The second researcher never sees the first rating (nor the notes that reveal it): they are never assigned to
    the country assessment, and this request gives them no access to it. When they submit, the item's rating at
    that moment is kept as `first_rating` (and its author as `first_researcher`), so agreement figures do not move
    when the item is edited afterwards. A disagreement is settled by the item's reviewer or an editor."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="second_assessments")
    researcher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=SecondAssessmentStatus.choices, default=SecondAssessmentStatus.REQUESTED
    )
    rating = models.CharField(max_length=12, choices=Rating.choices, blank=True, help_text="The blind rating.")
    justification = models.TextField(
        blank=True, max_length=JUSTIFICATION_MAX_CHARS, help_text="Why, in a few sentences (for the reviewer)."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_rating = models.CharField(
        max_length=12, choices=Rating.choices, blank=True, help_text="The item's rating when this one was submitted."
    )
    first_researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_rating = models.CharField(max_length=12, choices=Rating.choices, blank=True)
    settle_note = models.TextField(blank=True, max_length=JUSTIFICATION_MAX_CHARS)

    history = ChangeOnlyHistoricalRecords(
        indexes=[models.Index(fields=["item", "history_date"], name="hist_second_item_date_idx")]
    )
    objects = SecondAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["item", "requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SecondAssessmentStatus.values), name="secondassessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__in=["", *Rating.values])
                & Q(first_rating__in=["", *Rating.values])
                & Q(settled_rating__in=["", *Rating.values]),
                name="secondassessment_ratings_valid",
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status__in=OPEN_SECOND_STATUSES), name="secondassessment_one_open_per_item"
            ),
            models.CheckConstraint(
                condition=~Q(researcher=F("requested_by")), name="secondassessment_not_requested_by_researcher"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=[SecondAssessmentStatus.REQUESTED, SecondAssessmentStatus.CANCELLED],
                        rating="",
                        submitted_at__isnull=True,
                    )
                    | (
                        Q(status__in=[SecondAssessmentStatus.SUBMITTED, SecondAssessmentStatus.SETTLED])
                        & ~Q(rating="")
                        & Q(submitted_at__isnull=False)
                    )
                ),
                name="secondassessment_rated_once_submitted",
            ),
            models.CheckConstraint(
                condition=(
                    (
                        Q(status=SecondAssessmentStatus.SETTLED)
                        & Q(settled_by__isnull=False, settled_at__isnull=False)
                        & ~Q(settled_rating="")
                    )
                    | (
                        ~Q(status=SecondAssessmentStatus.SETTLED)
                        & Q(settled_by__isnull=True, settled_at__isnull=True, settled_rating="")
                    )
                ),
                name="secondassessment_settled_has_who_when_rating",
            ),
            models.CheckConstraint(
                condition=Q(settled_by__isnull=True) | ~Q(settled_by=F("researcher")),
                name="secondassessment_not_settled_by_second_researcher",
            ),
        ]
        indexes = [models.Index(fields=["researcher", "status"], name="secondassessment_queue_idx")]

    def __str__(self) -> str:
        return f"Second assessment of {self.item} by {self.researcher}"

    @property
    def is_requested(self) -> bool:
        return self.status == SecondAssessmentStatus.REQUESTED

    @property
    def is_rated(self) -> bool:
        return self.status in (SecondAssessmentStatus.SUBMITTED, SecondAssessmentStatus.SETTLED)

    @property
    def agrees(self) -> bool | None:
        """Whether the blind rating equals the first rating (None before it is submitted)."""
        return self.rating == self.first_rating if self.is_rated else None

    @property
    def needs_settling(self) -> bool:
        return self.status == SecondAssessmentStatus.SUBMITTED and self.rating != self.first_rating
