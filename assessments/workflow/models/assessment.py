"""A country's assessment in a cycle, and the items that make it up (overview, indicators, conclusion)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from assessments.framework.models import Country, Cycle, Indicator, Rating, Trend
from assessments.history.records import ChangeOnlyHistoricalRecords
from assessments.limits import NOTES_MAX_CHARS, max_chars


class CountryAssessmentQuerySet(models.QuerySet):
    def for_cycle(self, cycle: Cycle) -> "CountryAssessmentQuerySet":
        return self.filter(cycle=cycle)

    def assigned_to(self, user) -> "CountryAssessmentQuerySet":
        return self.filter(assignments__user=user).distinct()

    def with_progress(self) -> "CountryAssessmentQuerySet":
        """Annotate item counts per status, so a list of assessments needs one query."""
        return self.annotate(
            items_total=Count("items"),
            items_drafted=Count("items", filter=Q(items__status=ItemStatus.DRAFT) & ~Q(items__notes="")),
            items_in_review=Count("items", filter=Q(items__status=ItemStatus.IN_REVIEW)),
            items_changes_requested=Count("items", filter=Q(items__status=ItemStatus.CHANGES_REQUESTED)),
            items_approved=Count("items", filter=Q(items__status=ItemStatus.APPROVED)),
        )

    def with_indicator_progress(self) -> "CountryAssessmentQuerySet":
        """Annotate indicator counts per status and the overview's and conclusion's status (one query)."""
        indicator = Q(items__kind=ItemKind.INDICATOR)
        started = ~Q(items__notes="") | ~Q(items__rating="")

        def narrative_status(kind: str) -> models.Subquery:
            items = AssessmentItem.objects.filter(country_assessment=models.OuterRef("pk"), kind=kind)
            return models.Subquery(items.values("status")[:1])

        return self.annotate(
            indicators_total=Count("items", filter=indicator),
            indicators_drafted=Count("items", filter=indicator & Q(items__status=ItemStatus.DRAFT) & started),
            indicators_in_review=Count("items", filter=indicator & Q(items__status=ItemStatus.IN_REVIEW)),
            indicators_changes_requested=Count(
                "items", filter=indicator & Q(items__status=ItemStatus.CHANGES_REQUESTED)
            ),
            indicators_approved=Count("items", filter=indicator & Q(items__status=ItemStatus.APPROVED)),
            overview_status=narrative_status(ItemKind.OVERVIEW),
            conclusion_status=narrative_status(ItemKind.CONCLUSION),
        )


class CountryAssessment(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="assessments")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="country_assessments")
    legacy_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Published score of a cycle whose individual ratings are not in r2p.",
    )
    due_date = models.DateField(null=True, blank=True, help_text="When the assessment should be approved.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = ChangeOnlyHistoricalRecords(excluded_fields=["updated_at"])
    objects = CountryAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__year", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "cycle"], name="countryassessment_unique_country_cycle"),
            models.CheckConstraint(
                condition=Q(legacy_score__isnull=True) | Q(legacy_score__lte=100),
                name="countryassessment_legacy_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country.name} {self.cycle.year}"

    def get_absolute_url(self) -> str:
        return reverse("country-assessment", args=[self.cycle.year, self.country.code])


class ItemKind(models.TextChoices):
    OVERVIEW = "overview", "Overview"
    INDICATOR = "indicator", "Indicator"
    CONCLUSION = "conclusion", "Conclusion"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class AssessmentItemQuerySet(models.QuerySet):
    def indicators(self) -> "AssessmentItemQuerySet":
        return self.filter(kind=ItemKind.INDICATOR)

    def narrative(self) -> "AssessmentItemQuerySet":
        return self.exclude(kind=ItemKind.INDICATOR)

    def approved(self) -> "AssessmentItemQuerySet":
        return self.filter(status=ItemStatus.APPROVED)

    def not_approved(self) -> "AssessmentItemQuerySet":
        return self.exclude(status=ItemStatus.APPROVED)

    def in_review(self) -> "AssessmentItemQuerySet":
        return self.filter(status=ItemStatus.IN_REVIEW)

    def awaiting_review_by(self, user) -> "AssessmentItemQuerySet":
        """Items in review that `user` may approve as far as authorship goes: they wrote nothing since the last
        approval (four-eyes on content, not on who clicked last)."""
        from assessments.workflow.models.review import ItemContribution

        own = ItemContribution.objects.filter(
            item=models.OuterRef("pk"), user=user, version__gt=models.OuterRef("approved_version")
        )
        return self.in_review().filter(~models.Exists(own))

    def for_country_assessment(self, country_assessment: CountryAssessment) -> "AssessmentItemQuerySet":
        return self.filter(country_assessment=country_assessment)

    def in_reading_order(self) -> "AssessmentItemQuerySet":
        """Overview, conclusion, then indicators in framework order: the order they appear in the annex."""
        kind_order = models.Case(
            models.When(kind=ItemKind.OVERVIEW, then=0),
            models.When(kind=ItemKind.CONCLUSION, then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return self.select_related("indicator__thematic_area").order_by(kind_order, "indicator__position")


class AssessmentItem(models.Model):
    """One reviewable piece of a country assessment: the overview, an indicator, or the conclusion."""

    country_assessment = models.ForeignKey(CountryAssessment, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=12, choices=ItemKind.choices, default=ItemKind.INDICATOR)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    rating = models.CharField(max_length=12, choices=Rating.choices, blank=True)
    trend = models.CharField(max_length=10, choices=Trend.choices, blank=True)
    trend_override_reason = models.CharField(
        max_length=500, blank=True, help_text="Why the trend differs from the one derived from ratings."
    )
    notes = models.TextField(
        blank=True,
        max_length=NOTES_MAX_CHARS,
        validators=[max_chars(NOTES_MAX_CHARS)],
        help_text="Markdown with citations such as [@key, p. 4].",
    )
    change_rationale = models.TextField(
        blank=True,
        max_length=NOTES_MAX_CHARS,
        validators=[max_chars(NOTES_MAX_CHARS)],
        help_text="Why the rating differs from the previous cycle's, citing evidence as [@key].",
    )
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text="Increases on every saved change.")
    approved_version = models.PositiveIntegerField(
        default=0, help_text="The version last approved (0: never); content written after it awaits review."
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = ChangeOnlyHistoricalRecords(
        excluded_fields=["updated_at"],
        indexes=[models.Index(fields=["country_assessment", "history_date"], name="hist_item_ca_date_idx")],
    )
    objects = AssessmentItemQuerySet.as_manager()

    class Meta:
        ordering = ["country_assessment", "indicator__position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=ItemKind.INDICATOR) & Q(indicator__isnull=False))
                | (~Q(kind=ItemKind.INDICATOR) & Q(indicator__isnull=True)),
                name="assessmentitem_indicator_iff_indicator_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.INDICATOR) | (Q(rating="") & Q(trend="")),
                name="assessmentitem_narrative_has_no_rating",
            ),
            models.CheckConstraint(condition=Q(rating__in=["", *Rating.values]), name="assessmentitem_rating_valid"),
            models.CheckConstraint(condition=Q(trend__in=["", *Trend.values]), name="assessmentitem_trend_valid"),
            models.CheckConstraint(condition=Q(status__in=ItemStatus.values), name="assessmentitem_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="assessmentitem_kind_valid"),
            models.UniqueConstraint(
                fields=["country_assessment", "indicator"],
                condition=Q(kind=ItemKind.INDICATOR),
                name="assessmentitem_unique_indicator",
            ),
            models.UniqueConstraint(
                fields=["country_assessment", "kind"],
                condition=~Q(kind=ItemKind.INDICATOR),
                name="assessmentitem_unique_narrative_kind",
            ),
        ]
        indexes = [models.Index(fields=["status", "country_assessment"], name="assessmentitem_status_idx")]

    def __str__(self) -> str:
        if self.kind == ItemKind.INDICATOR:
            return f"{self.country_assessment} {self.indicator.code}"
        return f"{self.country_assessment} {self.get_kind_display().lower()}"

    def get_absolute_url(self) -> str:
        ca = self.country_assessment
        return reverse("item-edit", args=[ca.cycle.year, ca.country.code, self.slug])

    @property
    def slug(self) -> str:
        return self.indicator.code if self.kind == ItemKind.INDICATOR else self.kind

    @property
    def label(self) -> str:
        if self.kind == ItemKind.INDICATOR:
            return f"{self.indicator.code} {self.indicator.title}"
        return self.get_kind_display()

    @property
    def is_indicator(self) -> bool:
        return self.kind == ItemKind.INDICATOR

    @property
    def is_approved(self) -> bool:
        return self.status == ItemStatus.APPROVED

    @property
    def is_in_review(self) -> bool:
        return self.status == ItemStatus.IN_REVIEW

    @property
    def has_changes_requested(self) -> bool:
        return self.status == ItemStatus.CHANGES_REQUESTED

    @property
    def is_editable(self) -> bool:
        return self.status in (ItemStatus.DRAFT, ItemStatus.CHANGES_REQUESTED)

    @property
    def points(self) -> int | None:
        return Rating(self.rating).points if self.rating else None
