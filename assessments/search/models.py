"""The search index: one row per searchable thing, with the text to match and the keys to filter and show it.

The engine's own structures live beside this table and are kept in step by the database itself: on PostgreSQL
a stored generated `tsvector` column with a GIN index, on SQLite an FTS5 external-content table updated by
triggers (both created by migration `0003_search_index`). Filters that change with the workflow (status,
rating of a draft) are read through the item at query time, so a transition never leaves the index stale.
"""

from django.db import models
from django.db.models import Q

from assessments.citations.models import Source
from assessments.framework.models import Indicator, Rating
from assessments.publishing.models import Edition

# From the modules, not the package: assessments.models imports this module while it is being imported.
from assessments.workflow.models.assessment import AssessmentItem, CountryAssessment
from assessments.workflow.models.review import Comment


class DocumentKind(models.TextChoices):
    ITEM = "item", "Notes"
    COMMENT = "comment", "Comments"
    SOURCE = "source", "Sources"
    PUBLISHED = "published", "Published annexes"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    item = models.ForeignKey(AssessmentItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    country_assessment = models.ForeignKey(
        CountryAssessment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    slug = models.CharField(max_length=20, blank=True, help_text="Indicator code, overview or conclusion.")
    rating = models.CharField(
        max_length=12, choices=Rating.choices, blank=True, help_text="Published rating (published annexes only)."
    )
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True, help_text="Matched with a low weight: cited sources, URL parts, keys.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="searchdocument_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=DocumentKind.ITEM) & Q(item__isnull=False) & Q(comment__isnull=True))
                | (Q(kind=DocumentKind.COMMENT) & Q(comment__isnull=False) & Q(item__isnull=False))
                | (Q(kind=DocumentKind.SOURCE) & Q(source__isnull=False))
                | (Q(kind=DocumentKind.PUBLISHED) & Q(edition__isnull=False)),
                name="searchdocument_kind_has_target",
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(kind=DocumentKind.ITEM), name="searchdocument_unique_item"
            ),
            models.UniqueConstraint(fields=["comment"], name="searchdocument_unique_comment"),
            models.UniqueConstraint(fields=["source"], name="searchdocument_unique_source"),
            models.UniqueConstraint(fields=["edition", "slug"], name="searchdocument_unique_edition_slug"),
        ]
        indexes = [models.Index(fields=["kind", "country_assessment"], name="searchdocument_kind_ca_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title[:60]}"
