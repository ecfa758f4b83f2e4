"""One interface, two engines: PostgreSQL full-text search and SQLite FTS5.

`engine().search(documents, query, limit)` returns the best `limit` of the given documents (a filtered
queryset: visibility and filters already applied) with their rank and highlighted title and snippet;
`engine().counts(documents, query)` how many match, by kind. Highlights come back with MARK_START/MARK_END
around matched words, never HTML: `highlight.marked_html` escapes the text and only then adds <mark>.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL

from .models import SearchDocument
from .query import ParsedQuery, fts5_expression, tsquery_expression

MARK_START = "\ue000"  # private-use characters: stripped from indexed text, so only the engine can emit them
MARK_END = "\ue001"
SNIPPET_WORDS = 28


@dataclass
class Hit:
    document: SearchDocument
    rank: float
    title: str  # with marks
    snippet: str  # with marks


class PostgresEngine:
    config = "english"
    vector = RawSQL('"assessments_searchdocument"."search_vector"', (), output_field=SearchVectorField())

    def _query(self, query: ParsedQuery, prefix: bool) -> SearchQuery:
        if prefix:
            return SearchQuery(tsquery_expression(query, prefix=True), search_type="raw", config=self.config)
        return SearchQuery(query.text, search_type="websearch", config=self.config)

    def _matching(self, documents: QuerySet, query: ParsedQuery, prefix: bool) -> tuple[QuerySet, SearchQuery]:
        search_query = self._query(query, prefix)
        return documents.alias(vector=self.vector).filter(vector=search_query), search_query

    def search(self, documents: QuerySet, query: ParsedQuery, *, limit: int, prefix: bool = False) -> list[Hit]:
        matching, search_query = self._matching(documents, query, prefix)
        ranked = list(
            matching.annotate(rank=SearchRank(self.vector, search_query, normalization=1))
            .order_by("-rank", "id")
            .values_list("id", "rank")[:limit]
        )
        if not ranked:
            return []
        marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": self.config}
        found = documents.filter(id__in=[pk for pk, _ in ranked]).annotate(
            title_marked=SearchHeadline("title", search_query, highlight_all=True, **marks),
            snippet_marked=SearchHeadline(
                "body",
                search_query,
                max_words=SNIPPET_WORDS,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        by_id = {document.pk: document for document in found}
        return [
            Hit(by_id[pk], float(rank), by_id[pk].title_marked, by_id[pk].snippet_marked)
            for pk, rank in ranked
            if pk in by_id
        ]

    def counts(self, documents: QuerySet, query: ParsedQuery, *, prefix: bool = False) -> dict[str, int]:
        matching, _ = self._matching(documents, query, prefix)
        rows = matching.order_by().values_list("kind").annotate(n=Count("id"))
        return dict(rows)


class SqliteEngine:
    table = "assessments_searchfts"
    # bm25 weights of title, body, extra: a word in the title counts most, in cited sources or URL parts least.
    weights = (20.0, 3.0, 1.0)

    def _restrict(self, documents: QuerySet) -> tuple[str, tuple]:
        sql, params = documents.order_by().values("id").query.sql_with_params()
        return sql, tuple(params)

    def search(self, documents: QuerySet, query: ParsedQuery, *, limit: int, prefix: bool = False) -> list[Hit]:
        within, within_params = self._restrict(documents)
        t = self.table
        sql = (
            f"SELECT rowid, bm25({t}, %s, %s, %s) AS rank, highlight({t}, 0, %s, %s),"
            f" snippet({t}, 1, %s, %s, '…', %s) FROM {t} WHERE {t} MATCH %s AND rowid IN ({within})"
            " ORDER BY rank, rowid LIMIT %s"
        )
        params = (
            *self.weights,
            MARK_START,
            MARK_END,
            MARK_START,
            MARK_END,
            SNIPPET_WORDS,
            fts5_expression(query, prefix=prefix),
            *within_params,
            limit,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return []
        by_id = documents.in_bulk([row[0] for row in rows])
        return [Hit(by_id[pk], -rank, title, snippet) for pk, rank, title, snippet in rows if pk in by_id]

    def counts(self, documents: QuerySet, query: ParsedQuery, *, prefix: bool = False) -> dict[str, int]:
        within, within_params = self._restrict(documents)
        t = self.table
        sql = (
            f"SELECT d.kind, COUNT(*) FROM {t} JOIN assessments_searchdocument d ON d.id = {t}.rowid"
            f" WHERE {t} MATCH %s AND {t}.rowid IN ({within}) GROUP BY d.kind"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (fts5_expression(query, prefix=prefix), *within_params))
            return dict(cursor.fetchall())


def engine() -> PostgresEngine | SqliteEngine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"no full-text search for {connection.vendor}")
