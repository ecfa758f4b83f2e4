"""Measure pages, exports and imports against the benchmark dataset."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AssessmentItem, CountryAssessment


@dataclass
class Page:
    name: str
    username: str | None
    url: Callable[[], str]


def korea(year: int) -> CountryAssessment:
    return CountryAssessment.objects.select_related("country", "cycle").get(country__code="KOR", cycle__year=year)


def korea_item(year: int, code: str = "IHR-7") -> AssessmentItem:
    return AssessmentItem.objects.select_related(
        "country_assessment__country", "country_assessment__cycle", "indicator"
    ).get(country_assessment=korea(year), indicator__code=code)


def pages() -> list[Page]:
    """The pages the targets name; each is looked up by URL name so the list survives refactors."""
    candidates = [
        Page("dashboard", "researcher", lambda: reverse("dashboard")),
        Page("country page", "researcher", lambda: korea(2025).get_absolute_url()),
        Page("indicator editor", "researcher", lambda: korea_item(2025).get_absolute_url()),
        Page("history page", "researcher", lambda: _optional("item-history", korea_item(2022))),
        Page("annex HTML (staff draft)", "editor", lambda: _optional("annex-draft", korea(2022), fmt="html")),
        Page("regional overview", "editor", lambda: _optional("cycle-overview", year=2025)),
        Page("public annex", None, lambda: _optional("public:annex-latest", korea(2022))),
        Page(
            "admin change page",
            "admin",
            lambda: reverse("admin:assessments_assessmentitem_change", args=[korea_item(2025).pk]),
        ),
    ]
    return candidates


def _optional(name: str, obj=None, **kwargs) -> str:
    from django.urls import NoReverseMatch

    try:
        if obj is None:
            return reverse(name, kwargs=kwargs)
        if isinstance(obj, AssessmentItem):
            ca = obj.country_assessment
            return reverse(name, args=[ca.cycle.year, ca.country.code, obj.slug])
        args = [obj.cycle.year, obj.country.code]
        return (
            reverse(name, args=args, kwargs=kwargs or None)
            if not kwargs
            else reverse(name, kwargs={"year": obj.cycle.year, "country": obj.country.code, **kwargs})
        )
    except NoReverseMatch:
        return ""


def _client(username: str | None) -> Client:
    client = Client(SERVER_NAME="localhost")
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def count_queries(page: Page) -> int | None:
    url = page.url()
    if not url:
        return None
    client = _client(page.username)
    client.get(url)  # warm caches and the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {url} answered {response.status_code}")
    return len(captured)


def time_page(page: Page, requests: int) -> dict | None:
    url = page.url()
    if not url:
        return None
    client = _client(page.username)
    client.get(url)
    samples = []
    for _ in range(requests):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (page.name, response.status_code)
    return summarise(samples)


def summarise(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(round(0.95 * len(ordered))) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
    }


def export_times() -> dict[str, float | None]:
    """Seconds to export the Republic of Korea 2022 annex in each format (filled in once publishing exists)."""
    return {}


def import_rates() -> dict:
    """Rows per second of the r2p import path and of django-import-export's default path (once import exists)."""
    return {}
