"""Keeping the search index current. The write path calls `search_index_update` with what it changed, in the
same transaction, so a search never finds text that is not (or no longer) in the database."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from assessments.models import AssessmentItem, Citation, Comment, Edition, Indicator, Source

from .documents import comment_document, edition_documents, item_document, source_document
from .models import DocumentKind, SearchDocument

FIELDS = ["title", "body", "extra", "country_assessment", "indicator", "slug", "rating", "item"]


def _pks(objects: Iterable | None) -> list[int]:
    return [getattr(obj, "pk", obj) for obj in objects or ()]


def _content(document: SearchDocument) -> tuple:
    return tuple(getattr(document, SearchDocument._meta.get_field(field).attname) for field in FIELDS)


def _store(wanted: list[SearchDocument], existing: dict, key) -> int:
    """Insert new documents and update changed ones (the engine's index follows the rows); `existing` is left
    holding the documents nobody wants any more. Returns the number of rows written."""
    to_create, to_update = [], []
    for document in wanted:
        current = existing.pop(key(document), None)
        if current is None:
            to_create.append(document)
        elif _content(current) != _content(document):
            document.pk = current.pk
            to_update.append(document)
    if to_create:
        SearchDocument.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        SearchDocument.objects.bulk_update(to_update, FIELDS, batch_size=500)
    return len(to_create) + len(to_update)


def _index_items(pks: list[int]) -> int:
    items = list(
        AssessmentItem.objects.filter(pk__in=pks).select_related(
            "country_assessment__country", "country_assessment__cycle", "indicator"
        )
    )
    cited: dict[int, list[Source]] = defaultdict(list)
    for citation in (
        Citation.objects.filter(item__in=pks, source__isnull=False)
        .select_related("source")
        .only("item", "source", "source__title", "source__author_text", "source__author_abbreviation")
    ):
        cited[citation.item_id].append(citation.source)
    existing = {doc.item_id: doc for doc in SearchDocument.objects.filter(kind=DocumentKind.ITEM, item__in=pks)}
    wanted = [item_document(item, cited[item.pk]) for item in items if item.notes.strip()]
    written = _store(wanted, existing, key=lambda document: document.item_id)
    if existing:  # emptied notes, or items gone
        SearchDocument.objects.filter(pk__in=[doc.pk for doc in existing.values()]).delete()
    return written


def _index_comments(pks: list[int]) -> int:
    comments = Comment.objects.filter(pk__in=pks).select_related(
        "author", "item__country_assessment__country", "item__country_assessment__cycle", "item__indicator"
    )
    existing = {doc.comment_id: doc for doc in SearchDocument.objects.filter(comment__in=pks)}
    return _store([comment_document(comment) for comment in comments], existing, key=lambda d: d.comment_id)


def _index_sources(pks: list[int]) -> int:
    existing = {doc.source_id: doc for doc in SearchDocument.objects.filter(source__in=pks)}
    written = _store([source_document(s) for s in Source.objects.filter(pk__in=pks)], existing, lambda d: d.source_id)
    if existing:  # merged away
        SearchDocument.objects.filter(pk__in=[doc.pk for doc in existing.values()]).delete()
    return written


def _index_editions(pks: list[int]) -> int:
    """Published annexes: only the current edition of each is searched; older ones leave the index."""
    editions = list(Edition.objects.filter(pk__in=pks).current().select_related("country_assessment"))
    if not editions:
        return 0
    assessments = [edition.country_assessment_id for edition in editions]
    SearchDocument.objects.filter(kind=DocumentKind.PUBLISHED, country_assessment__in=assessments).exclude(
        edition__in=[edition.pk for edition in editions]
    ).delete()
    cycles = {edition.country_assessment.cycle_id for edition in editions}
    codes = defaultdict(dict)
    for pk, code, cycle_id in Indicator.objects.filter(cycle__in=cycles).values_list("pk", "code", "cycle_id"):
        codes[cycle_id][code] = pk
    existing = {
        (doc.edition_id, doc.slug): doc
        for doc in SearchDocument.objects.filter(kind=DocumentKind.PUBLISHED, edition__in=editions)
    }
    wanted = [
        document
        for edition in editions
        for document in edition_documents(edition, codes[edition.country_assessment.cycle_id])
        if document.body or document.rating
    ]
    return _store(wanted, existing, key=lambda d: (d.edition_id, d.slug))


@transaction.atomic
def search_index_update(*, items=None, sources=None, comments=None, editions=None) -> int:
    """Bring the documents of these items, sources, comments and published editions (objects or pks) up to date.

    Returns the number of documents written. Cheap when nothing changed: one read per kind."""
    written = 0
    if items:
        written += _index_items(_pks(items))
    if comments:
        written += _index_comments(_pks(comments))
    if sources:
        written += _index_sources(_pks(sources))
    if editions:
        written += _index_editions(_pks(editions))
    return written


@transaction.atomic
def search_reindex(*, batch: int = 2000) -> dict[str, int]:
    """Rebuild the whole index from the database (after a restore, a bulk load or a framework change)."""
    SearchDocument.objects.all().delete()
    counts = {}
    for kind, queryset, index in (
        ("items", AssessmentItem.objects.exclude(notes=""), _index_items),
        ("comments", Comment.objects.all(), _index_comments),
        ("sources", Source.objects.all(), _index_sources),
        ("published", Edition.objects.current(), _index_editions),
    ):
        pks = list(queryset.order_by("pk").values_list("pk", flat=True))
        counts[kind] = sum(index(pks[start : start + batch]) for start in range(0, len(pks), batch))
    search_statistics_refresh()
    return counts


def search_statistics_refresh() -> None:
    """SQLite: count the documents per kind, assessment and item again, so the planner starts a filtered search
    from the narrowest index (a status filter from the items' status, not from every note). PostgreSQL's
    autovacuum keeps its own statistics."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE assessments_searchdocument")
