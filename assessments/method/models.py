"""Tables of the method: codebook guidance per indicator, and waivers of the change-rationale rule."""

from django.conf import settings
from django.db import models
from django.db.models import Q

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
