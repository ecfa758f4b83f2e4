"""One interface, two engines: PostgreSQL full-text search and SQLite FTS5.

`engine().search(documents, query, per_kind=n)` takes a filtered queryset (visibility and filters applied) and
returns, in one ranked query, the best `n` documents of each kind with their rank and highlighted title and
snippet, and how many documents of each kind match. Highlights come back with MARK_START/MARK_END around
matched words, never HTML: `highlight.marked_html` escapes the text and only then adds <mark>.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Count, F, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

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


Found = tuple[list[Hit], dict[str, int]]  # hits best first (at most per_kind of each kind), matches per kind


class PostgresEngine:
    config = "english"
    vector = RawSQL('"assessments_searchdocument"."search_vector"', [], output_field=SearchVectorField())

    def _query(self, query: ParsedQuery, prefix: bool) -> SearchQuery:
        if prefix:  # type-ahead: the last word is a prefix, which websearch syntax cannot say
            return SearchQuery(tsquery_expression(query, prefix=True), search_type="raw", config=self.config)
        return SearchQuery(query.text, search_type="websearch", config=self.config)

    def search(self, documents: QuerySet, query: ParsedQuery, *, per_kind: int, prefix: bool = False) -> Found:
        search_query = self._query(query, prefix)
        ranked = list(
            documents.alias(vector=self.vector)
            .filter(vector=search_query)
            .annotate(
                rank=SearchRank(self.vector, search_query, normalization=1),
                place=Window(RowNumber(), partition_by=F("kind"), order_by=[F("rank").desc(), F("id").asc()]),
                matches=Window(Count("id"), partition_by=F("kind")),
            )
            .filter(place__lte=per_kind)
            .order_by("-rank", "id")
            .values_list("id", "kind", "rank", "matches")
        )
        if not ranked:
            return [], {}
        counts = {kind: matches for _, kind, _, matches in ranked}
        marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": self.config}
        found = documents.filter(id__in=[pk for pk, *_ in ranked]).annotate(
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
        hits = [
            Hit(by_id[pk], float(rank), by_id[pk].title_marked, by_id[pk].snippet_marked)
            for pk, _, rank, _ in ranked
            if pk in by_id
        ]
        return hits, counts


class SqliteEngine:
    table = "assessments_searchfts"
    # bm25 weights of title, body, extra: a word in the title counts most, in cited sources or URL parts least.
    weights = (20.0, 3.0, 1.0)

    def _restrict(self, documents: QuerySet) -> tuple[str, tuple]:
        sql, params = documents.order_by().values("id").query.sql_with_params()
        return sql, tuple(params)

    def search(self, documents: QuerySet, query: ParsedQuery, *, per_kind: int, prefix: bool = False) -> Found:
        """Rank and count in one query, then highlight only the best: snippets of every match would cost seconds.

        `+rowid IN (...)`: the unary plus keeps SQLite from driving the FTS5 scan by rowid from the filter (one
        full-text evaluation per allowed document: seconds); the full-text match drives, the filter checks."""
        within, within_params = self._restrict(documents)
        t = self.table
        expression = fts5_expression(query, prefix=prefix)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, kind, rank, matches FROM ("
                " SELECT id, kind, rank, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY rank, id) AS place,"
                " COUNT(*) OVER (PARTITION BY kind) AS matches FROM ("
                f"  SELECT {t}.rowid AS id, d.kind AS kind, bm25({t}, %s, %s, %s) AS rank"
                f"  FROM {t} JOIN assessments_searchdocument d ON d.id = {t}.rowid"
                f"  WHERE {t} MATCH %s AND +{t}.rowid IN ({within})))"
                " WHERE place <= %s ORDER BY rank, id",
                (*self.weights, expression, *within_params, per_kind),
            )
            ranked = cursor.fetchall()
            if not ranked:
                return [], {}
            ids = [pk for pk, *_ in ranked]
            cursor.execute(
                f"SELECT rowid, highlight({t}, 0, %s, %s), snippet({t}, 1, %s, %s, '…', %s) FROM {t}"
                f" WHERE {t} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
                (MARK_START, MARK_END, MARK_START, MARK_END, SNIPPET_WORDS, expression, *ids),
            )
            marked = {pk: (title, snippet) for pk, title, snippet in cursor.fetchall()}
        counts = {kind: matches for _, kind, _, matches in ranked}
        by_id = documents.in_bulk(ids)
        hits = [Hit(by_id[pk], -rank, *marked.get(pk, ("", ""))) for pk, _, rank, _ in ranked if pk in by_id]
        return hits, counts


def engine() -> PostgresEngine | SqliteEngine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"no full-text search for {connection.vendor}")
