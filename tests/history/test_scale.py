"""History at archive scale: 100k+ historical rows; pages keep their query counts and answer fast.

Opt-in (it inserts ~150k rows): `R2P_HISTORY_SCALE=1 pytest tests/history/test_scale.py -s` prints timings.
"""

import os
import statistics
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import AssessmentItem, Citation, Comment, ItemStatus
from tests.factories import CountryFactory, make_country_assessment
from tests.history.test_views import QUERIES, urls

pytestmark = pytest.mark.skipif(not os.environ.get("R2P_HISTORY_SCALE"), reason="set R2P_HISTORY_SCALE=1 to run")

COUNTRIES = 30  # besides Korea: 31 assessments × 38 items
REVISIONS_PER_ITEM = 90  # → ~106k item rows
HOT_ITEM_REVISIONS = 3000  # one item edited very often
CITATION_ROWS_PER_ITEM = 40  # Korea 2025: citation history
COMMENT_ROWS_PER_ITEM = 10


def _bulk(model, rows):
    model.history.model.objects.bulk_create(rows, batch_size=5000)


def _fill(korea_2025, people):
    cycle = korea_2025.cycle
    for _ in range(COUNTRIES):
        make_country_assessment(country=CountryFactory(), cycle=cycle)
    HistoricalItem = AssessmentItem.history.model
    start = timezone.now() - timedelta(days=900)
    users = list(people.values())
    rows, n = [], 0
    items = list(AssessmentItem.objects.filter(country_assessment__cycle=cycle))
    for item in items:
        count = HOT_ITEM_REVISIONS if item.pk == korea_2025.items.get(indicator__code="BC-1").pk else REVISIONS_PER_ITEM
        for revision in range(count):
            n += 1
            rows.append(
                HistoricalItem(
                    id=item.pk,
                    country_assessment_id=item.country_assessment_id,
                    kind=item.kind,
                    indicator_id=item.indicator_id,
                    rating="fair" if item.indicator_id and revision % 2 else ("weak" if item.indicator_id else ""),
                    trend="",
                    trend_override_reason="",
                    notes=f"Notes of revision {revision}. " * 40,
                    status=ItemStatus.APPROVED if revision % 10 == 9 else ItemStatus.DRAFT,
                    version=revision + 1,
                    history_date=start + timedelta(seconds=n * 7),
                    history_type="~",
                    history_user=users[revision % len(users)],
                    history_change_reason="edited",
                )
            )
    _bulk(AssessmentItem, rows)
    korea_items = [item for item in items if item.country_assessment_id == korea_2025.pk]
    citation_rows = [
        Citation.history.model(
            id=item.pk * 1000 + k,
            item_id=item.pk,
            position=k % 20 + 1,
            key=f"src-{k}",
            locator="p. 1",
            history_date=start + timedelta(seconds=item.pk * 11 + k * 13),
            history_type="+~-"[k % 3],
            history_user=users[k % len(users)],
            history_change_reason="edited",
        )
        for item in korea_items
        for k in range(CITATION_ROWS_PER_ITEM)
    ]
    _bulk(Citation, citation_rows)
    comment_rows = [
        Comment.history.model(
            id=item.pk * 1000 + k,
            item_id=item.pk,
            author=people["reviewer"],
            body="A comment " * 30,
            created_at=start,
            history_date=start + timedelta(seconds=item.pk * 17 + k * 19),
            history_type="+",
            history_user=people["reviewer"],
            history_change_reason="commented",
        )
        for item in korea_items
        for k in range(COMMENT_ROWS_PER_ITEM)
    ]
    _bulk(Comment, comment_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # planner statistics for the rows just inserted
            for model in (AssessmentItem, Citation, Comment):
                cursor.execute(f"ANALYZE {model.history.model._meta.db_table}")
    return len(rows) + len(citation_rows) + len(comment_rows)


def _time(client, url, params, runs=5) -> tuple[float, int]:
    client.get(url, params)
    durations = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url, params)
            durations.append(time.perf_counter() - began)
        assert response.status_code == 200
    if os.environ.get("R2P_HISTORY_SCALE") == "explain":
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:2]:
            print(f"      {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")
    return statistics.median(durations) * 1000, len(queries)


def test_history_pages_at_scale(user_client, korea_2025, item, people):
    inserted = _fill(korea_2025, people)
    total = AssessmentItem.history.count() + Citation.history.count() + Comment.history.count()
    assert total >= 100_000
    hot = AssessmentItem.history.filter(id=item.pk)
    last_page = -(-hot.count() // 25)
    rows = list(hot.values_list("history_id", flat=True)[:1]) + list(
        hot.order_by("history_date").values_list("history_id", flat=True)[:1]
    )
    client = user_client("reviewer")
    page_urls = urls(item)
    cases = [
        ("history", "item history, page 1", page_urls["history"], {}),
        ("history", f"item history, last page ({last_page})", page_urls["history"], {"page": last_page}),
        ("compare", "compare first and latest", page_urls["history"], {"a": rows[1], "b": rows[0]}),
        ("since", "changes since approval", page_urls["since"], {}),
        ("activity", "activity, page 1", page_urls["activity"], {}),
        ("activity", "activity, page 200", page_urls["activity"], {"page": 200}),
        ("activity", "activity, by user", page_urls["activity"], {"user": people["editor"].pk}),
        ("activity", "activity, citations", page_urls["activity"], {"type": "citation"}),
    ]
    print(f"\n{connection.vendor}: {inserted} rows inserted, {total} historical rows in the three tables")
    print(
        f"hot item: {hot.count()} revisions; Korea 2025 item rows: "
        f"{AssessmentItem.history.filter(country_assessment=korea_2025).count()}"
    )
    if os.environ.get("R2P_HISTORY_SCALE") == "explain":
        from assessments.history.activity import activity_queryset
        from assessments.history.timeline import item_history

        print(item_history(item)[3000:3026].explain())
        print(activity_queryset(korea_2025)[5000:5025].explain())
    for page, label, url, params in cases:
        milliseconds, queries = _time(client, url, params)
        print(f"  {label:38} {milliseconds:7.1f} ms  {queries} queries")
        assert queries == QUERIES[page], label
