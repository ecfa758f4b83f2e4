"""The engine's contract, on either database: the best `per_kind` of each kind, best first, and every match
counted, whatever `per_kind` is; on SQLite, the plans that keep it fast at archive scale."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.search.backends import SqliteEngine, engine
from assessments.search.query import parse
from assessments.search.selectors import published_documents, visible_documents

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite FTS5 plans")


def documents_of(username: str | None):
    return published_documents() if username is None else visible_documents(User.objects.get(username=username))


@pytest.mark.parametrize("username", ["editor", "researcher", "outsider", None])
@pytest.mark.parametrize("text", ["rights", "human rights", "report -watch", "protection or prevention"])
def test_best_of_each_kind_and_every_match_counted(demo, outsider, username, text):
    documents, query = documents_of(username), parse(text)
    every, every_count = engine().search(documents, query, per_kind=10**6)
    assert every, (username, text)
    assert every_count == {kind: sum(hit.document.kind == kind for hit in every) for kind in every_count}
    assert [hit.rank for hit in every] == sorted((hit.rank for hit in every), reverse=True)
    for per_kind in (1, 2, 5):
        best, counts = engine().search(documents, query, per_kind=per_kind)
        assert counts == every_count
        for kind in counts:
            wanted = [hit.document.pk for hit in every if hit.document.kind == kind][:per_kind]
            assert [hit.document.pk for hit in best if hit.document.kind == kind] == wanted, (kind, per_kind)
        assert [hit.rank for hit in best] == sorted((hit.rank for hit in best), reverse=True)
        assert all(hit.snippet or hit.title for hit in best)


def _plans(queries) -> list[str]:
    with connection.cursor() as cursor:
        return [
            " | ".join(str(row[-1]) for row in cursor.execute("EXPLAIN QUERY PLAN " + query["sql"]).fetchall())
            for query in queries
            if SqliteEngine.table in query["sql"]
        ]


@sqlite_only
@pytest.mark.parametrize("username", ["editor", "researcher", None])
def test_the_full_text_match_drives_never_a_rowid(demo, username):
    """FTS5 asked for one rowid at a time re-reads the index for each (~15 ms a row at archive scale); the
    ranking reads no wide documents row and sorts nothing (the best of each kind are picked in Python)."""
    with CaptureQueriesContext(connection) as captured:
        hits, _ = engine().search(documents_of(username), parse("rights"), per_kind=3)
    assert hits
    plans = _plans(captured.captured_queries)
    assert len(plans) == 2  # rank and count; highlight the best
    for plan in plans:
        fts_scans = re.findall(r"SCAN assessments_searchfts VIRTUAL TABLE INDEX \d+:(\S*)", plan)
        assert fts_scans and all("=" not in scan for scan in fts_scans), plan
    assert "TEMP B-TREE" not in plans[0] and "SEARCH d USING INTEGER PRIMARY KEY" not in plans[0], plans[0]


@sqlite_only
def test_reindex_refreshes_the_planner_statistics(demo):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'assessments_searchdocument'")
        call_command("search_reindex")
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'assessments_searchdocument'")
        assert cursor.fetchone()[0] > 0
