"""Published editions: frozen, numbered, never changed after publication."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.history.records import ChangeOnlyHistoricalRecords
from assessments.limits import ERRATA_MAX_CHARS, max_chars
from assessments.workflow.models.assessment import CountryAssessment


class EditionImmutable(PermissionDenied):
    """Raised on any attempt to change or delete a published edition."""


class EditionQuerySet(models.QuerySet):
    def latest_first(self) -> "EditionQuerySet":
        return self.order_by("-number")

    def current(self) -> "EditionQuerySet":
        """The latest edition of each country assessment."""
        newer = Edition.objects.filter(
            country_assessment=models.OuterRef("country_assessment"), number__gt=models.OuterRef("number")
        )
        return self.filter(~models.Exists(newer))

    def update(self, **kwargs):
        raise EditionImmutable("Published editions cannot be changed.")

    def delete(self):
        raise EditionImmutable("Published editions cannot be deleted.")


class Edition(models.Model):
    country_assessment = models.ForeignKey(CountryAssessment, on_delete=models.PROTECT, related_name="editions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(help_text="When r2p recorded the publication.")
    publication_date = models.DateField(
        default=timezone.localdate,
        help_text="The date the annex carries (its citation date): the day of publishing, or for an archive "
        "edition entered afterwards, the day the centre first published it.",
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    errata = models.TextField(
        blank=True,
        max_length=ERRATA_MAX_CHARS,
        validators=[max_chars(ERRATA_MAX_CHARS)],
        help_text="What this edition corrects (from v2 on).",
    )
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the data snapshot.")
    html = models.TextField(help_text="The rendered annex body, frozen at publication.")
    snapshot = models.JSONField(help_text="The annex data (JSON export) frozen at publication.")

    history = ChangeOnlyHistoricalRecords(
        indexes=[models.Index(fields=["country_assessment", "history_date"], name="hist_edition_ca_date_idx")]
    )
    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["country_assessment", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["country_assessment", "number"], name="edition_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="edition_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.country_assessment} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise EditionImmutable(f"{self} is published and cannot be changed; publish a new edition instead.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        ca = self.country_assessment
        return reverse("public:annex-edition", args=[ca.cycle.year, ca.country.code, self.number])

    def delete(self, *args, **kwargs):
        raise EditionImmutable(f"{self} is published and cannot be deleted.")
