"""One interface, two engines: PostgreSQL full-text search and SQLite FTS5.

`engine().search(documents, query, per_kind=n)` takes a filtered queryset (visibility and filters applied) and
returns, in one ranked query, the best `n` documents of each kind with their rank and highlighted title and
snippet, and how many documents of each kind match. Highlights come back with MARK_START/MARK_END around
matched words, never HTML: `highlight.marked_html` escapes the text and only then adds <mark>.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Count, F, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from .models import DocumentKind, SearchDocument
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

    def _kind_of_match(self, documents: QuerySet) -> tuple[str, tuple]:
        """SQL naming the kind of an allowed match: the few comments, sources and published texts are looked up
        in lists of their own; whatever else is allowed is an item (most documents: no list needed)."""
        cases, params = [], []
        for kind in (DocumentKind.COMMENT, DocumentKind.SOURCE, DocumentKind.PUBLISHED):
            sql, kind_params = self._restrict(documents.filter(kind=kind))
            cases.append(f"WHEN +{self.table}.rowid IN ({sql}) THEN '{kind.value}'")
            params += kind_params
        return f"CASE {' '.join(cases)} ELSE '{DocumentKind.ITEM.value}' END", tuple(params)

    def search(self, documents: QuerySet, query: ParsedQuery, *, per_kind: int, prefix: bool = False) -> Found:
        """Rank every allowed match in one pass, keep the best of each kind and count them here, then highlight
        only the best: snippets of every match would cost seconds.

        What each part costs at archive scale (193 countries × 5 cycles, ~37,000 documents; a common pair of
        words matches 18,000-30,000 of them): the full-text match ~1 µs a match; bm25 ~4-5 µs a match plus
        ~10 ms for its word statistics; reading `kind` from the documents table ~4 µs a match (its rows are
        wide); window functions (two sorts of every match) ~5 µs a match; FTS5 driven by rowid (`rowid IN`
        without the `+`) re-reads the whole index for each rowid, ~15 ms each. So:
        - `+rowid IN (allowed)`: the full-text match drives, the allowed documents (visibility and filters,
          read once from narrow indexes into an in-memory list) only check; bm25 is computed for allowed
          matches only (the filter runs before the result columns);
        - the kind comes from in-memory lists of the small kinds (`_kind_of_match`), not a join;
        - the best `per_kind` of each kind and the counts are picked here (a heap), not by SQL windows."""
        within, within_params = self._restrict(documents)
        kind_sql, kind_params = self._kind_of_match(documents)
        t = self.table
        expression = fts5_expression(query, prefix=prefix)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT bm25({t}, %s, %s, %s), {t}.rowid, {kind_sql} FROM {t}"
                f" WHERE {t} MATCH %s AND +{t}.rowid IN ({within})",
                (*self.weights, *kind_params, expression, *within_params),
            )
            matches = cursor.fetchall()
            if not matches:
                return [], {}
            # (rank, id, kind): tuples order best first, ties by id (as PostgreSQL orders them), no key function.
            by_kind: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
            for match in matches:
                by_kind[match[2]].append(match)
            counts = {kind: len(rows) for kind, rows in by_kind.items()}
            ranked = sorted(row for rows in by_kind.values() for row in heapq.nsmallest(per_kind, rows))
            ids = [pk for _, pk, _ in ranked]
            cursor.execute(
                f"SELECT rowid, highlight({t}, 0, %s, %s), snippet({t}, 1, %s, %s, '…', %s) FROM {t}"
                f" WHERE {t} MATCH %s AND +rowid IN ({', '.join(['%s'] * len(ids))})",
                (MARK_START, MARK_END, MARK_START, MARK_END, SNIPPET_WORDS, expression, *ids),
            )
            marked = {pk: (title, snippet) for pk, title, snippet in cursor.fetchall()}
        by_id = documents.in_bulk(ids)
        hits = [Hit(by_id[pk], -rank, *marked.get(pk, ("", ""))) for rank, pk, _ in ranked if pk in by_id]
        return hits, counts


def engine() -> PostgresEngine | SqliteEngine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"no full-text search for {connection.vendor}")
