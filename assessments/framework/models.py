"""The methodology: cycles, their framework of thematic areas and indicators, the scale, and countries."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from assessments.history.records import ChangeOnlyHistoricalRecords
from assessments.limits import INTRODUCTION_MAX_CHARS, max_chars


class Rating(models.TextChoices):
    """The five-level scale, strongest first; `points` gives each level's weight in the score."""

    VERY_STRONG = "very_strong", "Very Strong"
    STRONG = "strong", "Strong"
    FAIR = "fair", "Fair"
    WEAK = "weak", "Weak"
    VERY_WEAK = "very_weak", "Very Weak"

    @property
    def points(self) -> int:
        return RATING_POINTS[self.value]

    @classmethod
    def strongest_first(cls) -> list["Rating"]:
        return sorted(cls, key=lambda rating: -RATING_POINTS[rating.value])

    @classmethod
    def from_label(cls, text: str) -> "Rating":
        """Accept the stored key or the display label, in any case and spacing."""
        wanted = " ".join(str(text).replace("_", " ").split()).casefold()
        for rating in cls:
            if wanted in (rating.label.casefold(), rating.value.replace("_", " ")):
                return rating
        raise ValueError(f"{text!r} is not a rating; use one of {', '.join(cls.labels)}")


RATING_POINTS = {"very_strong": 4, "strong": 3, "fair": 2, "weak": 1, "very_weak": 0}
MAX_POINTS = 4


class Trend(models.TextChoices):
    INCREASE = "increase", "Increase"
    DECREASE = "decrease", "Decrease"
    UNCHANGED = "unchanged", "Unchanged"
    NEW = "new", "New"

    @classmethod
    def from_label(cls, text: str) -> "Trend":
        wanted = str(text).strip().casefold()
        for trend in cls:
            if wanted in (trend.label.casefold(), trend.value):
                return trend
        raise ValueError(f"{text!r} is not a trend; use one of {', '.join(cls.labels)}")


class Cycle(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_cycle")
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Annex subtitle; defaults to 'Updated Assessment of R2P Implementation <year>'.",
    )
    introduction = models.TextField(
        blank=True,
        max_length=INTRODUCTION_MAX_CHARS,
        validators=[max_chars(INTRODUCTION_MAX_CHARS)],
        help_text="Standard introduction of every annex of this cycle. {country_in_text} is replaced by "
        "the country's name as used in a sentence; {methodology_url} and {regional_report_url} by the "
        "links below.",
    )
    methodology_url = models.URLField(
        "methodology link",
        blank=True,
        help_text="Where the introduction's methodology link points (the assessment describing the method).",
    )
    regional_report_url = models.URLField(
        "regional report link",
        blank=True,
        help_text="Where the introduction's regional report link points (this cycle's regional assessment).",
    )
    ibid_enabled = models.BooleanField(
        "use Ibid.", default=True, help_text="Cite a source repeated immediately as 'Ibid.'"
    )
    coverage_start = models.DateField(null=True, blank=True, help_text="First day of the period under review.")
    coverage_end = models.DateField(null=True, blank=True, help_text="Last day of the period under review.")

    history = ChangeOnlyHistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="cycle_year_range"),
            models.CheckConstraint(condition=~Q(previous=models.F("id")), name="cycle_not_own_previous"),
            models.CheckConstraint(
                condition=Q(coverage_start__isnull=True)
                | Q(coverage_end__isnull=True)
                | Q(coverage_start__lte=models.F("coverage_end")),
                name="cycle_coverage_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("cycle-detail", args=[self.year])

    @property
    def has_coverage_period(self) -> bool:
        return self.coverage_start is not None and self.coverage_end is not None

    @property
    def display_title(self) -> str:
        return self.title or f"Updated Assessment of R2P Implementation {self.year}"


class ThematicArea(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="thematic_areas")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="thematicarea_unique_code_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "position"], name="thematicarea_unique_position_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.cycle})"


class IndicatorQuerySet(models.QuerySet):
    def for_cycle(self, cycle: Cycle) -> "IndicatorQuerySet":
        return self.filter(cycle=cycle).select_related("thematic_area").order_by("position")


class Indicator(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="indicators")
    thematic_area = models.ForeignKey(ThematicArea, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(
        max_length=12, help_text="Stable letters-and-number code such as IHR-10; same code across cycles."
    )
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(help_text="Order in the framework, 1..N.")
    # Which indicator of the previous cycle this one continues, so trends derive across a renamed code.
    previous_code = models.CharField(
        "continues",
        max_length=12,
        blank=True,
        help_text="Code of the previous cycle's indicator this one continues; blank: the one with the same code.",
    )
    is_new = models.BooleanField(
        "new in this cycle",
        default=False,
        help_text="Continues no indicator of the previous cycle: its trend is New, whatever its code.",
    )

    history = ChangeOnlyHistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="indicator_unique_code_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "position"], name="indicator_unique_position_per_cycle"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]+-[0-9]+$"), name="indicator_code_letters_dash_number"
            ),
            models.CheckConstraint(
                condition=Q(previous_code="") | Q(previous_code__regex=r"^[A-Z]+-[0-9]+$"),
                name="indicator_previous_code_letters_dash_number",
            ),
            models.CheckConstraint(
                condition=Q(is_new=False) | Q(previous_code=""), name="indicator_new_continues_nothing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def continues_code(self) -> str | None:
        """Code of the previous cycle's indicator this one continues (None: new in this cycle).

        Every comparison with the previous cycle (trends, previous ratings, calibration) matches on this, never
        on `code` alone: an indicator renamed from BC-3 to BC-4 keeps deriving its trend from BC-3."""
        if self.is_new:
            return None
        return self.previous_code or self.code


class CountryQuerySet(models.QuerySet):
    def by_code(self, code: str) -> "Country":
        return self.get(code=code.upper())


class Country(models.Model):
    code = models.CharField("ISO alpha-3", max_length=3, unique=True)
    alpha2 = models.CharField("ISO alpha-2", max_length=2, blank=True)
    name = models.CharField(max_length=120, help_text="UN short official name, as in annex titles.")
    name_in_text = models.CharField(
        max_length=130, blank=True, help_text="Name in running text, e.g. 'the Republic of Korea'."
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{3}$"), name="country_code_alpha3"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sentence_name(self) -> str:
        return self.name_in_text or self.name
