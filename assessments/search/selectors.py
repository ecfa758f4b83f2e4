"""Searching: which documents a person may find, filtered as asked, best first, grouped by kind."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from assessments.models import ItemStatus, Rating
from assessments.workflow.permissions import visible_assessment_ids

from .backends import Hit, engine
from .models import DocumentKind, SearchDocument
from .query import ParsedQuery, parse

PER_KIND = 10  # best hits shown of each kind; 50 when one kind is asked for
# Wide columns a result never shows (snippets come from the engine): the annex frozen in a published edition
# (decoding it cost ~3 ms a published hit), the notes of an item, the indexed text itself.
UNSHOWN = ("body", "extra", "edition__snapshot", "item__notes")
GROUP_ORDER = [DocumentKind.ITEM, DocumentKind.COMMENT, DocumentKind.SOURCE, DocumentKind.PUBLISHED]


@dataclass(frozen=True)
class SearchFilters:
    cycle: int | None = None  # year
    country: str = ""  # ISO alpha-3
    area: str = ""  # thematic area code
    indicator: str = ""  # indicator code
    rating: str = ""  # Rating value
    status: str = ""  # ItemStatus value (staff search only)
    kind: str = ""  # one DocumentKind only

    @property
    def narrows_items(self) -> bool:
        """Filters that only items (and their comments and published text) have: sources drop out."""
        return bool(self.cycle or self.country or self.area or self.indicator or self.rating or self.status)

    def active(self) -> bool:
        return self.narrows_items or bool(self.kind)


@dataclass
class ResultGroup:
    kind: str
    label: str
    hits: list[Hit]
    total: int


@dataclass
class SearchResults:
    query: ParsedQuery
    groups: list[ResultGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def _filtered(documents: QuerySet, filters: SearchFilters, *, staff: bool) -> QuerySet:
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.narrows_items:
        documents = documents.exclude(kind=DocumentKind.SOURCE)
    if filters.cycle:
        documents = documents.filter(country_assessment__cycle__year=filters.cycle)
    if filters.country:
        documents = documents.filter(country_assessment__country__code=filters.country.upper())
    if filters.area:
        documents = documents.filter(indicator__thematic_area__code=filters.area)
    if filters.indicator:
        documents = documents.filter(indicator__code=filters.indicator)
    if filters.rating:
        published = Q(kind=DocumentKind.PUBLISHED, rating=filters.rating)
        documents = documents.filter(published | Q(item__rating=filters.rating) if staff else published)
    if filters.status and staff:
        documents = documents.filter(kind__in=[DocumentKind.ITEM, DocumentKind.COMMENT], item__status=filters.status)
    return documents


def visible_documents(user) -> QuerySet[SearchDocument]:
    """What a member of staff may find: the library; notes and comments of the assessments they may see; and
    for assessments they may not see, only what is published."""
    visible = visible_assessment_ids(user)
    documents = SearchDocument.objects.all()
    if visible is None:  # editors and admins see every draft; the published text would only repeat it
        return documents.exclude(kind=DocumentKind.PUBLISHED)
    return documents.filter(
        Q(kind=DocumentKind.SOURCE)
        | Q(kind__in=[DocumentKind.ITEM, DocumentKind.COMMENT], country_assessment__in=visible)
        | (Q(kind=DocumentKind.PUBLISHED) & ~Q(country_assessment__in=visible))
    )


def published_documents() -> QuerySet[SearchDocument]:
    """What the public may find: the current edition of each published annex, nothing else."""
    return SearchDocument.objects.filter(kind=DocumentKind.PUBLISHED, edition__isnull=False)


def _run(documents: QuerySet, text: str, filters: SearchFilters) -> SearchResults:
    query = parse(text)
    results = SearchResults(query=query)
    if query.is_empty:
        return results
    documents = documents.select_related(
        "item__indicator",
        "comment__author",
        "source",
        "edition",
        "country_assessment__country",
        "country_assessment__cycle",
        "indicator",
    ).defer(*UNSHOWN)
    hits, counts = engine().search(documents, query, per_kind=PER_KIND * 5 if filters.kind else PER_KIND)
    for kind in GROUP_ORDER:
        if counts.get(kind):
            group_hits = [hit for hit in hits if hit.document.kind == kind]
            results.groups.append(ResultGroup(kind, DocumentKind(kind).label, group_hits, counts[kind]))
    return results


def search_staff(*, user, text: str, filters: SearchFilters | None = None) -> SearchResults:
    filters = filters or SearchFilters()
    return _run(_filtered(visible_documents(user), filters, staff=True), text, filters)


def search_public(*, text: str, filters: SearchFilters | None = None) -> SearchResults:
    filters = filters or SearchFilters()
    filters = SearchFilters(**{**filters.__dict__, "status": "", "kind": ""})
    return _run(_filtered(published_documents(), filters, staff=False), text, filters)


def search_sources(*, text: str, limit: int = 20) -> list[Hit]:
    """The source picker: the library ranked, the last word matched as a prefix while the person types."""
    query = parse(text)
    if query.is_empty:
        return []
    documents = SearchDocument.objects.filter(kind=DocumentKind.SOURCE).select_related("source")
    hits, _ = engine().search(documents, query, per_kind=limit, prefix=True)
    return hits


RATING_CHOICES = Rating.choices
STATUS_CHOICES = ItemStatus.choices
