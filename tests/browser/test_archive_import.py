"""The archive import in a real browser: upload the reference annex, review, one correction, confirm and
publish with the original date. Set R2P_SCREENSHOTS=<dir> to keep screenshots (1400 and 390 px wide)."""

import os
import re
from pathlib import Path

import pytest

from assessments.demo.loader import demo_load
from assessments.models import CountryAssessment

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
SCREENSHOTS = os.environ.get("R2P_SCREENSHOTS")
REFERENCE = Path(__file__).resolve().parent.parent / "archive" / "data" / "annex-2022-republic-of-korea.txt"


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(20_000)
        console_errors = []
        page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
        yield page
        browser.close()
        assert [error for error in console_errors if "Content Security Policy" in error] == []


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1400, 390):
            page.set_viewport_size({"width": width, "height": 1000})
            page.screenshot(path=f"{SCREENSHOTS}/archive-{name}-{width}.png", full_page=width == 1400)
        page.set_viewport_size({"width": 1400, "height": 1000})


@pytest.mark.django_db(transaction=True)
def test_editor_imports_an_archived_annex(live_server, page):
    demo_load()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "r2p-editor")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/work/$"))

    # Upload: the Korea reference text, imported as Japan 2022 (Korea 2022 is already in the demo).
    page.goto(live_server.url + "/data/archive/")
    page.set_input_files("#id_file", str(REFERENCE))
    page.select_option("#id_country", "JPN")
    page.select_option("#id_cycle", "2022")
    page.click("button:has-text('Read the annex')")
    page.wait_for_selector("h1:has-text('Review the import: Japan 2022')")
    assert "the title names 'Republic of Korea', importing as Japan" in page.inner_text(".flags.uncertain")
    assert page.locator("table.archive-rows tbody tr").count() == 36
    assert page.locator("table.archive-rows tr.flagged").count() >= 5
    _shot(page, "review")

    # One correction in place: the trend of IHR-7, then check again.
    page.select_option("select[name=r12-trend]", "unchanged")
    page.click("button:has-text('Save corrections and check again')")
    page.wait_for_selector(".message:has-text('Corrected: IHR-7 trend. The checks were run again.')")
    assert page.input_value("select[name=r12-trend]") == "unchanged"

    # Confirm and publish with the original date.
    page.check("input[name=publish]")
    page.fill("input[name=published_on]", "2022-09-01")
    page.click("button:has-text('Import Japan 2022')")
    page.wait_for_selector(".message:has-text('Imported Japan 2022')")
    _shot(page, "imported")
    japan = CountryAssessment.objects.get(country__code="JPN", cycle__year=2022)
    assert japan.items.get(indicator__code="IHR-7").trend == "unchanged"
    assert japan.editions.get().published_at.date().isoformat() == "2022-09-01"
    assert CountryAssessment.objects.get(country__code="JPN", cycle__year=2019).legacy_score == 74
