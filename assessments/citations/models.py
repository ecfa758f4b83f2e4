"""The shared source library and the citations that notes make to it."""

import calendar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from assessments.citations.schema import YEAR_MAX, YEAR_MIN, names_problems
from assessments.history.records import ChangeOnlyHistoricalRecords
from assessments.limits import SOURCE_NOTE_MAX_CHARS, max_chars
from assessments.workflow.models.assessment import AssessmentItem


class SourceType(models.TextChoices):
    """Kinds of source, stored as their CSL-JSON type names."""

    REPORT = "report", "Report"
    WEBPAGE = "webpage", "Web page"
    NEWS_ARTICLE = "article-newspaper", "News article"
    MAGAZINE_ARTICLE = "article-magazine", "Magazine article"
    JOURNAL_ARTICLE = "article-journal", "Journal article"
    BLOG_POST = "post-weblog", "Blog post"
    BOOK = "book", "Book"
    CHAPTER = "chapter", "Book chapter"
    UN_DOCUMENT = "document", "UN document"
    LEGISLATION = "legislation", "Legal instrument"
    TREATY = "treaty", "Treaty"
    DATASET = "dataset", "Dataset"
    SPEECH = "speech", "Speech or statement"


class SourceQuerySet(models.QuerySet):
    def search(self, text: str) -> "SourceQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(key__icontains=text)
            | Q(title__icontains=text)
            | Q(author_text__icontains=text)
            | Q(author_abbreviation__iexact=text)
            | Q(url__icontains=text)
            | Q(un_symbol__icontains=text)
        )


class Source(models.Model):
    key = models.CharField("citation key", max_length=100, unique=True, help_text="Cite it in notes as [@key].")
    type = models.CharField(max_length=20, choices=SourceType.choices, default=SourceType.REPORT)
    authors = models.JSONField(
        default=list,
        blank=True,
        help_text='CSL names: [{"family": "Kwok", "given": "Andre"}] or [{"literal": "Human Rights Watch"}].',
    )
    author_text = models.CharField(max_length=500, blank=True, editable=False, help_text="For search.")
    author_abbreviation = models.CharField(max_length=30, blank=True, help_text="e.g. HRW")
    issued_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text="Empty for n.d.",
    )
    issued_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    issued_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    title = models.CharField(max_length=500)
    container_title = models.CharField(
        max_length=300, blank=True, help_text="Newspaper, website or series the source appears in."
    )
    publisher = models.CharField(max_length=300, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    accessed = models.DateField(null=True, blank=True)
    un_symbol = models.CharField("UN document symbol", max_length=100, blank=True)
    note = models.TextField(blank=True, max_length=SOURCE_NOTE_MAX_CHARS, validators=[max_chars(SOURCE_NOTE_MAX_CHARS)])
    csl_extra = models.JSONField(
        default=dict, blank=True, help_text="CSL-JSON fields r2p has no column for, kept for round trips."
    )
    link_status = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    link_error = models.CharField(max_length=300, blank=True, editable=False)
    link_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = ChangeOnlyHistoricalRecords(
        excluded_fields=["updated_at", "link_status", "link_error", "link_checked_at"]
    )
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key__regex=r"^[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*$"), name="source_key_syntax"
            ),
            models.CheckConstraint(
                condition=Q(issued_year__isnull=True) | Q(issued_year__gte=YEAR_MIN, issued_year__lte=YEAR_MAX),
                name="source_issued_year_valid",
            ),
            models.CheckConstraint(
                condition=Q(issued_month__isnull=True) | Q(issued_month__gte=1, issued_month__lte=12),
                name="source_issued_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(issued_day__isnull=True) | Q(issued_day__gte=1, issued_day__lte=31),
                name="source_issued_day_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_abbreviation or self.author_text or '—'}, {self.year_stop} {self.title} [@{self.key}]"

    def save(self, *args, **kwargs) -> None:
        self.refresh_author_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("source-detail", args=[self.key])

    def clean(self) -> None:
        """Authors the citation renderer can read (CSL names), on every write path that validates."""
        problems = names_problems(self.authors)
        if problems:
            raise ValidationError({"authors": problems})

    @property
    def year_stop(self) -> str:
        """The year and its full stop as a reference list prints it: `2024.` but `n.d.` (never `n.d..`)."""
        return f"{self.issued_year}." if self.issued_year else "n.d."

    @property
    def issued_display(self) -> str:
        """`7 February 2024`, `February 2024`, `2024` or `n.d.`."""
        if not self.issued_year:
            return "n.d."
        month = calendar.month_name[self.issued_month] if self.issued_month else ""
        day = str(self.issued_day) if self.issued_day and month else ""
        return " ".join(part for part in (day, month, str(self.issued_year)) if part)

    def refresh_author_text(self) -> None:
        names = self.authors if isinstance(self.authors, list) else []  # clean() refuses other shapes

        def text(name, part) -> str:
            return name.get(part) if isinstance(name.get(part), str) else ""

        self.author_text = "; ".join(
            text(name, "literal") or " ".join(filter(None, [text(name, "given"), text(name, "family")]))
            for name in names
            if isinstance(name, dict)
        )[:500]


class CitationQuerySet(models.QuerySet):
    def unresolved(self) -> "CitationQuerySet":
        return self.filter(source__isnull=True)


class Citation(models.Model):
    """One `@key` in an item's notes; rebuilt from the notes each time they are saved."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="citations")
    position = models.PositiveSmallIntegerField(help_text="Order of the citation within the notes.")
    key = models.CharField(max_length=100)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(max_length=500, blank=True)

    history = ChangeOnlyHistoricalRecords(
        indexes=[models.Index(fields=["item", "history_date"], name="hist_citation_item_date_idx")]
    )
    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="citation_unique_position_per_item"),
        ]
        indexes = [models.Index(fields=["key"], name="citation_key_idx")]

    def __str__(self) -> str:
        return f"[@{self.key}{', ' + self.locator if self.locator else ''}] in {self.item}"
