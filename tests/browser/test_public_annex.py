"""The public Korea 2022 annex in a real browser: one H1, no horizontal scroll from 320 to 1400 px (the
detailed table as stacked cards on narrow screens), and no axe-core violations at 390 and 1400 px."""

import os
from pathlib import Path

import pytest

from assessments.demo.loader import demo_load
from tests.browser.chromium import CHROMIUM

from .axe import AXE_AVAILABLE, axe_violations, format_violations

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
SCREENSHOTS = os.environ.get("R2P_SCREENSHOTS")


@pytest.fixture
def annex_url(live_server, transactional_db):
    demo_load()
    return f"{live_server.url}/annex/2022/KOR/"


def open_page(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(15_000)
    page.goto(url)
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"public-annex-{width}.png"), full_page=True)
    return page


def test_readable_without_horizontal_scroll_from_320_to_1400_px(browser, annex_url):
    for width in (320, 390, 768, 1024, 1400):
        page = open_page(browser, annex_url, width)
        assert page.locator("h1").count() == 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, width
        cards = page.evaluate("() => getComputedStyle(document.querySelector('.detail-table tr')).display")
        assert cards == ("block" if width <= 640 else "table-row"), width
        assert page.get_by_role("heading", name="How to cite").count() == 1
        page.close()


@pytest.mark.skipif(not AXE_AVAILABLE, reason="needs axe-core (make node-packages)")
def test_no_axe_violations_at_390_and_1400_px(browser, annex_url):
    for width in (390, 1400):
        page = open_page(browser, annex_url, width)
        violations = axe_violations(page)
        assert violations == [], f"{width} px:\n" + format_violations(violations)
        page.close()
