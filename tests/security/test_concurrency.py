"""Concurrent saves and transitions of one item: exactly one wins, the other is refused, nothing is overwritten.

PostgreSQL: threads against the test database (row locks, select_for_update). SQLite: the same races in a
subprocess on a SQLite file with the production settings (WAL, BEGIN IMMEDIATE), since pytest's in-memory
database does not behave like the real file under threads.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from assessments.models import AssessmentItem
from tests.security import races

TRIALS = 20
ROOT = Path(__file__).resolve().parents[2]
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locking is PostgreSQL's; SQLite runs in test_races_on_sqlite"
)


@pytest.mark.pg
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_races_on_postgres(demo, security_figures):
    summaries = races.run_all(TRIALS)
    for summary in summaries:
        security_figures.add("concurrent trials (PostgreSQL)", summary.trials)
        security_figures.add("silent overwrites (PostgreSQL)", summary.silent_overwrites)
    assert [(s.scenario, s.trials, s.one_winner, s.silent_overwrites, s.problems) for s in summaries] == [
        (s.scenario, TRIALS, TRIALS, 0, []) for s in summaries
    ]


@pytest.mark.pg
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_race_detection_works_without_the_row_lock(demo, monkeypatch):
    """The control: with the lock taken away, the same race produces double winners, so the test has teeth."""
    monkeypatch.setattr(
        "assessments.workflow.content.items_locked",
        lambda items: {item.pk: AssessmentItem.objects.select_related().get(pk=item.pk) for item in items},
    )
    item = AssessmentItem.objects.get(country_assessment__cycle__year=2025, indicator__code="BC-1")
    people = races.User.objects.get(username="researcher"), races.User.objects.get(username="editor")
    with races.widened_race_window():
        summary = races.edits(item.pk, people, 5)
    assert summary.silent_overwrites == 5


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite suite runs it (it needs no database of ours)")
def test_races_on_sqlite(tmp_path, security_figures):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.security.sqlite_races", str(tmp_path / "races.sqlite3"), str(TRIALS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    summaries = json.loads(result.stdout.strip().splitlines()[-1])
    for summary in summaries:
        security_figures.add("concurrent trials (SQLite)", summary["trials"])
        security_figures.add("silent overwrites (SQLite)", summary["silent_overwrites"])
    assert [
        (s["scenario"], s["trials"], s["one_winner"], s["silent_overwrites"], s["problems"]) for s in summaries
    ] == [(s["scenario"], TRIALS, TRIALS, 0, []) for s in summaries]
