"""The demo archive built once per test session and copied into each test that asks for it.

Loading the demo (249 countries, three frameworks, the Korea 2022 annex with its sources, citations and history,
the published edition) costs seconds; copying its rows back costs milliseconds. The snapshot is taken in a
transaction that is rolled back, so tests that do not ask for the demo still start from an empty database.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import time_machine
from django.apps import apps
from django.db import connection, transaction

# The demo is loaded at this instant, so v1 of Korea 2022 has the same content hash in every test and run.
DEMO_LOADED_AT = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


@dataclass
class TableRows:
    table: str
    columns: list[str]
    rows: list[tuple]


@dataclass
class DemoSnapshot:
    tables: list[TableRows]
    report: object


def _tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every model table, auto-created join tables included."""
    seen, tables = set(), []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in seen or not model._meta.managed:
            continue
        seen.add(table)
        tables.append((table, model._meta.pk.column))
    return tables


def _generated(table: str) -> set[str]:
    """Columns the database computes itself (PostgreSQL's generated search vector): never inserted."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_generated = 'ALWAYS'",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


def _read(table: str) -> TableRows:
    quote = connection.ops.quote_name
    skip = _generated(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (table names come from the models)
        columns = [column[0] for column in cursor.description]
        keep = [index for index, column in enumerate(columns) if column not in skip]
        rows = [tuple(row[index] for index in keep) for row in cursor.fetchall()]
        return TableRows(table, [columns[index] for index in keep], rows)


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _storable(value):
    """JSON read back as Python objects (PostgreSQL) is written back as JSON."""
    if isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


def demo_snapshot_take(*, publish: bool = True) -> DemoSnapshot:
    """Load the demo in a rolled-back transaction and keep every row it added (without publishing Korea 2022 when
    `publish` is false: every item approved, no edition)."""
    from unittest import mock

    from assessments.demo.loader import demo_load

    tables = _tables()
    with transaction.atomic():
        before = {}
        for table, pk in tables:
            rows = _read(table)
            before[table] = {row[rows.columns.index(pk)] for row in rows.rows}
        unpublished = mock.patch("assessments.demo.loader.publish_blockers", lambda country_assessment: ["no"])
        with time_machine.travel(DEMO_LOADED_AT, tick=False), unpublished if not publish else _nothing():
            report = demo_load()
        added = []
        for table, pk in tables:
            current = _read(table)
            index = current.columns.index(pk)
            rows = [tuple(map(_storable, row)) for row in current.rows if row[index] not in before[table]]
            if rows:
                added.append(TableRows(table, current.columns, rows))
        transaction.set_rollback(True)
    return DemoSnapshot(tables=added, report=report)


def demo_snapshot_restore(snapshot: DemoSnapshot) -> object:
    """Insert the demo's rows (foreign keys are checked at commit), then move sequences past them."""
    from django.core.management.color import no_style

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for rows in snapshot.tables:
            columns = ", ".join(quote(column) for column in rows.columns)
            marks = ", ".join(["%s"] * len(rows.columns))
            cursor.executemany(f"INSERT INTO {quote(rows.table)} ({columns}) VALUES ({marks})", rows.rows)  # noqa: S608
        if connection.vendor == "postgresql":
            touched = {rows.table for rows in snapshot.tables}
            models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in touched]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return snapshot.report
