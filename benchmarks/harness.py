"""Measure pages, exports and imports against the benchmark dataset."""

import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from wsgiref.util import setup_testing_defaults

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AssessmentItem, CountryAssessment
from benchmarks.traffic import annex_page_pdf_link


@dataclass
class Page:
    name: str
    username: str | None
    url: Callable[[], str]


def korea(year: int) -> CountryAssessment:
    return CountryAssessment.objects.select_related("country", "cycle").get(country__code="KOR", cycle__year=year)


def busy_item() -> AssessmentItem:
    """An item of the first benchmark country in 2025 (22 revisions, citations), assigned to the demo researcher."""
    return (
        AssessmentItem.objects.select_related("country_assessment__country", "country_assessment__cycle", "indicator")
        .filter(country_assessment__cycle__year=2025, kind="indicator")
        .exclude(country_assessment__country__code="KOR")
        .exclude(rating="")
        .filter(country_assessment__assignments__user__username="researcher")
        .order_by("country_assessment__country__code", "indicator__position")
        .first()
    )


def _item_url(name: str, item: AssessmentItem) -> str:
    ca = item.country_assessment
    return reverse(name, args=[ca.cycle.year, ca.country.code, item.slug])


# The staff pages whose p95 must stay within 2× the admin change page's (issue 18).
STAFF_PAGES = ("dashboard", "cycle overview", "heatmap", "regional overview")
ADMIN_PAGE = "admin change page"


def pages() -> list[Page]:
    """The pages the targets name, as the people who use them see them."""
    return [
        Page("dashboard", "researcher", lambda: reverse("dashboard")),
        Page("country page", "researcher", lambda: korea(2025).get_absolute_url()),
        Page("indicator editor", "researcher", lambda: busy_item().get_absolute_url()),
        Page("history page", "researcher", lambda: _item_url("item-history", busy_item())),
        Page("annex HTML (draft preview)", "editor", lambda: reverse("annex-draft", args=[2022, "KOR", "html"])),
        Page("cycle overview", "editor", lambda: reverse("cycle-overview", args=[2025])),
        Page("heatmap", "editor", lambda: reverse("cycle-heatmap", args=[2025])),
        Page("regional overview", "editor", lambda: reverse("public:regional", args=[2022])),
        Page("public annex", None, lambda: reverse("public:annex", args=[2022, "KOR"])),
        Page(
            "admin change page",
            "admin",
            lambda: reverse("admin:assessments_assessmentitem_change", args=[busy_item().pk]),
        ),
    ]


def _client(username: str | None) -> Client:
    client = Client(SERVER_NAME="localhost")
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def count_queries(page: Page) -> int:
    url = page.url()
    client = _client(page.username)
    client.get(url)  # warm caches and the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {url} answered {response.status_code}")
    return len(captured)


def time_page(page: Page, requests: int) -> dict:
    """`requests` GETs of the page by the deployed WSGI application, with its user's session cookie, as a browser
    would send them. Not through the test client: its responses keep their whole template context alive in
    reference cycles (response.json holds the response), garbage only the collector frees, which a server never
    makes."""
    client = _client(page.username)
    cookie = "; ".join(f"{morsel.key}={morsel.value}" for morsel in client.cookies.values())
    _, samples = _wsgi_samples(server_application(), page.url(), requests, cookie)
    return summarise(samples)


def summarise(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(round(0.95 * len(ordered))) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
    }


def export_times(repeats: int = 3) -> dict[str, float]:
    """Median seconds to build and render the Republic of Korea 2022 annex in each format, from live data."""
    from assessments.publishing.annex import annex_build
    from assessments.publishing.exports import annex_export

    times = {}
    for fmt in ("html", "pdf", "docx"):
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            annex_export(annex_build(korea(2022)), fmt)
            samples.append(time.perf_counter() - started)
        times[fmt] = round(statistics.median(samples), 3)
    return times


def import_rates() -> dict:
    """Rows per second importing a 4,320-row XLSX with history: r2p's bulk path and import-export's default path.

    Both import the same file for real (history rows, citations) and are rolled back afterwards.
    """
    from benchmarks.imports import benchmark_file, compare_paths

    data = benchmark_file(countries=40, years=(2019, 2022, 2025))
    reports = compare_paths(data, file_name="bench.xlsx", user=User.objects.get(username="admin"))
    fast, default = reports["fast"], reports["default"]
    for report in (fast, default):
        if not report.ok:
            raise RuntimeError(f"benchmark import failed: {report.error_messages()[:3]}")
    return {
        "rows": len(fast.rows),
        "fast_seconds": round(fast.seconds, 2),
        "default_seconds": round(default.seconds, 2),
        "fast_rows_per_s": round(fast.rows_per_second),
        "default_rows_per_s": round(default.rows_per_second),
        "speedup": round(fast.rows_per_second / default.rows_per_second, 1),
    }


# Searches people make (issue 17): multi-word, phrase, negation, filtered, the public search and the source picker.
SEARCHES = [
    ("researcher", "search", {"q": "rome statute"}),
    ("researcher", "search", {"q": "kigali principles", "cycle": "2022"}),
    ("editor", "search", {"q": '"human rights" council'}),
    ("editor", "search", {"q": "report 2022 -korea", "status": "draft"}),
    ("editor", "search", {"q": "national action plan", "country": "IDN", "rating": "fair"}),
    ("editor", "search", {"q": "organisation 12"}),
    (None, "public:search", {"q": "atrocity prevention"}),
    (None, "public:search", {"q": '"early warning"', "cycle": "2022"}),
]


def search_times(requests: int) -> dict:
    """Every search of SEARCHES `requests` times, as whole pages: the p95 over all of them, and the most queries."""
    samples, most_queries = [], 0
    for username, name, params in SEARCHES:
        client = _client(username)
        url = reverse(name)
        client.get(url, params)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, params)
        most_queries = max(most_queries, len(captured))
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, params, response.status_code)
    return {**summarise(samples), "searches": len(SEARCHES), "queries_max": most_queries}


STATIC_FILE = "r2p/app.css"  # the largest static file (whitenoise)


def server_application():
    """The WSGI application every server process runs (r2p/wsgi.py). Importing it also tunes this process's
    garbage collector as it tunes a server's (r2p.runtime), so pages are timed as a server runs them."""
    from r2p.wsgi import application

    return application


def _wsgi_get(application, url: str, cookie: str = "") -> tuple[int, int]:
    """GET `url` from a WSGI application as a server would (whole body read); status and bytes."""
    path, _, query = url.partition("?")
    environ = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": "GET",
        "wsgi.input": io.BytesIO(),
        "SERVER_NAME": "localhost",
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    status = []
    chunks = application(environ, lambda line, headers, exc_info=None: status.append(int(line.split()[0])))
    try:
        size = sum(len(chunk) for chunk in chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return status[0], size


def _wsgi_get_ok(application, url: str, cookie: str = "") -> int:
    """GET `url` (as `_wsgi_get`), which must answer 200; the body's bytes."""
    status, size = _wsgi_get(application, url, cookie)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return size


def _wsgi_samples(application, url: str, requests: int, cookie: str = "") -> tuple[int, list[float]]:
    """One GET to warm caches, then `requests` timed ones, each answered 200; the body's bytes and the times in ms."""
    size = _wsgi_get_ok(application, url, cookie)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        _wsgi_get_ok(application, url, cookie)
        samples.append((time.perf_counter() - started) * 1000)
    return size, samples


def _time_wsgi_get(application, path: str, requests: int) -> dict:
    size, samples = _wsgi_samples(application, path, requests)
    return {**summarise(samples), "bytes": size, "url": path}


def download_times(requests: int) -> dict:
    """A published edition's stored PDF (Republic of Korea 2022, rendered into storage as publishing does) at the
    link its annex page gives, and a static file, each downloaded whole `requests` times by the deployed WSGI
    application (r2p/wsgi.py: the edition files' wrapper, then Django with whitenoise). The per-format URL
    (`…/v1.pdf`, through Django) is measured too, as `pdf_legacy`."""
    from django.templatetags.static import static

    from assessments.background.files import edition_file_render

    edition = korea(2022).editions.order_by("-number").first()
    edition_file_render(edition, "pdf")
    client = _client(None)
    page = client.get(reverse("public:annex-edition", args=[2022, "KOR", edition.number])).content.decode()
    link = annex_page_pdf_link(page)
    application = server_application()
    if link is None:
        raise RuntimeError("The annex page links no PDF.")
    pdf = _time_wsgi_get(application, link, requests)
    static_file = _time_wsgi_get(application, static(STATIC_FILE), requests)
    legacy = _time_wsgi_get(
        application, reverse("public:annex-download", args=[2022, "KOR", edition.number, "pdf"]), requests
    )
    return {
        "pdf": pdf,
        "static": static_file,
        "pdf_legacy": legacy,
        "ratio_p95": round(pdf["p95_ms"] / max(static_file["p95_ms"], 0.01), 2),
    }
