"""Every page of the URL × role matrix (tests/security/url_matrix.py) that a role can open, in a real browser
(Debian's chromium): axe-core (WCAG 2.2 AA and best practices) finds nothing, and nothing scrolls sideways at
390 px. The list of pages is generated from the matrix, so a new page is checked as soon as it has its entry.

A page is a GET case the matrix expects to answer 200 for the role. Pages open to everyone are checked once, as
the anonymous visitor; the Django admin's own pages (admin:*) are checked as the admin only (editors see the same
templates). Downloads (an attachment, or a body that is not HTML: PDF, DOCX, CSV, JSON, Markdown) and POST-only
views are skipped and counted. Each page is loaded once at 390 px (reflow and axe-core) and once at 1,400 px (axe).
"""

import os
import time
from collections import Counter

import pytest

from tests.browser.chromium import CHROMIUM
from tests.security.conftest import ROLES, World
from tests.security.conftest import import_uploads as import_uploads  # noqa: F401 (a fixture)
from tests.security.conftest import world as world  # noqa: F401 (a fixture)
from tests.security.matrix import named_urls
from tests.security.url_matrix import cases_for

from .axe import AXE_AVAILABLE, axe_violations, format_violations

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
CHECKED_ROLES = ("anonymous", "researcher", "reviewer", "editor", "admin")
WIDTHS = (390, 1400)


def matrix_pages(world: World) -> tuple[dict[str, list[tuple[str, str]]], Counter]:
    """Per role, the (label, path) of every GET the matrix expects to answer 200; and what was left out, why."""
    pages: dict[str, list[tuple[str, str]]] = {role: [] for role in CHECKED_ROLES}
    left_out: Counter = Counter()
    for url in named_urls():
        for case in cases_for(url.name) or []:
            if case.method != "get":
                left_out["POST (not a page)"] += 1
                continue
            try:
                path = case.url(url.name, world)
            except LookupError:
                left_out["no object to show"] += 1
                continue
            if case.query:
                from urllib.parse import urlencode

                path += "?" + urlencode(case.query(world))
            label = f"{url.name}{f' [{case.label}]' if case.label else ''}"
            if case.expect["anonymous"] == 200:
                pages["anonymous"].append((label, path))
                continue
            for role in CHECKED_ROLES[1:]:
                if case.expect[role] != 200:
                    continue
                if url.name.startswith("admin:") and role != "admin":
                    left_out["admin page seen as the admin only"] += 1
                    continue
                pages[role].append((label, path))
    return pages, left_out


def _session_cookie(world: World, role: str, base: str) -> list[dict]:
    from django.conf import settings

    if role == "anonymous":
        return []
    world.client(role)  # makes the session
    value = world._session_cookies[role]
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base}]


def test_every_matrix_page_passes_axe_and_reflows(browser, live_server, transactional_db, world, capsys):
    from playwright.sync_api import Error as PlaywrightError

    started = time.monotonic()
    pages, left_out = matrix_pages(world)
    checked, problems, skipped, timings = Counter(), [], Counter(), Counter()
    for role in CHECKED_ROLES:
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        context.add_cookies(_session_cookie(world, role, live_server.url))
        page = context.new_page()
        for label, path in pages[role]:
            where = f"{role} {label} {path}"
            loading = time.monotonic()
            try:
                response = page.goto(live_server.url + path, wait_until="load")
            except PlaywrightError as error:
                if "Download is starting" in str(error) or "net::ERR_ABORTED" in str(error):
                    skipped["download"] += 1
                    continue
                problems.append(f"{where}: {error}")
                continue
            if response is None or response.status != 200:
                problems.append(f"{where}: HTTP {response.status if response else '?'}")
                continue
            content_type = response.headers.get("content-type", "")
            if not content_type.startswith("text/html"):
                skipped[f"not HTML ({content_type.split(';')[0]})"] += 1
                continue
            timings["loading"] += time.monotonic() - loading
            if page.evaluate("document.doctype === null"):
                skipped["HTML fragment (fetched into a page)"] += 1
                continue
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": 900})
                if width == 390:
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    if scroll > width:
                        problems.append(f"{where} {width}px: {scroll} px wide (horizontal scroll)")
                if AXE_AVAILABLE:
                    checking = time.monotonic()
                    violations = axe_violations(page)
                    timings["axe-core"] += time.monotonic() - checking
                    if violations:
                        problems.append(f"{where} {width}px:\n{format_violations(violations)}")
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            checked[role] += 1
        context.close()
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nmatrix pages checked with axe-core ({AXE_AVAILABLE}) at 390 and 1400 px: {sum(checked.values())} "
            f"({', '.join(f'{role} {count}' for role, count in checked.items())}); skipped: "
            f"{dict(skipped)}; left out of the list: {dict(left_out)}; "
            f"{elapsed:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())})"
        )
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
    assert sum(checked.values()) >= 60
    assert set(ROLES) >= set(CHECKED_ROLES)
