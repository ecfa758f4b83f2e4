"""The archive import in a real browser: upload the reference annex (read by the background task), review, one
correction, one proposed source corrected and one replaced by a library source through the picker, confirm and
publish with the original date, then download the original file from the public annex page.
Set R2P_SCREENSHOTS=<dir> to keep screenshots (1400 and 390 px wide)."""

import os
import re
from pathlib import Path

import pytest

from assessments.demo.loader import demo_load
from assessments.models import ArchiveUpload, Citation, CountryAssessment, Cycle, Source

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


def _shot_element(page, selector: str, name: str) -> None:
    """The review screen's source editing at both widths: the part in view, and the section whole."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1400, 390):
            page.set_viewport_size({"width": width, "height": 1000})
            page.locator(selector).scroll_into_view_if_needed()
            page.screenshot(path=f"{SCREENSHOTS}/archive-{name}-{width}.png")
        page.set_viewport_size({"width": 1400, "height": 1000})


@pytest.mark.django_db(transaction=True)
def test_editor_imports_an_archived_annex(live_server, page):
    demo_load()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "r2p-editor")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/work/$"))

    # An upload still being read: the page says so in a live region and polls until the task is done.
    from django.contrib.auth import get_user_model

    reading = ArchiveUpload.objects.create(
        uploaded_by=get_user_model().objects.get(username="editor"),
        country_id=CountryAssessment.objects.values_list("country", flat=True).first(),
        cycle=Cycle.objects.get(year=2022),
        file_name="annex-2022.pdf",
        name="archive/annex-2022.0.pdf",
        sha256="0" * 64,
        size=1,
        content_type="application/pdf",
    )
    page.goto(f"{live_server.url}/data/archive/uploads/{reading.pk}/")
    page.wait_for_selector("#upload-status[role=status] >> text=annex-2022.pdf is being read…")
    with page.expect_response(lambda response: f"/uploads/{reading.pk}/" in response.url):  # htmx polls
        pass
    _shot(page, "reading")

    # Two works the annex cites are made unrecognisable in the library, so the import proposes them as new.
    cited = list(
        Citation.objects.filter(
            item__country_assessment__country__code="KOR", item__country_assessment__cycle__year=2022
        )
        .order_by("pk")
        .values_list("source", flat=True)
        .distinct()[:40]
    )
    hidden = list(dict.fromkeys(cited))[:2]
    Source.objects.filter(pk__in=hidden).update(
        title="Unrelated title", url="", authors=[{"literal": "Nobody"}], author_abbreviation="", issued_year=1990
    )

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

    # Proposed sources: correct the first one's title; cite a library source instead of the second (picker).
    sources = page.locator(".archive-sources fieldset.proposed-source")
    assert sources.count() >= 2
    page.fill("input[name=s0-title]", "Corrected on the review screen")
    library = Source.objects.exclude(pk__in=hidden).exclude(title="").order_by("pk").first()
    search = page.locator(".archive-sources .source-use-search").nth(1)
    search.fill(library.title.split()[0] + " " + library.title.split()[1])
    page.wait_for_selector(f"#source-results-1 [data-cite-key='{library.key}']")
    _shot_element(page, "#source-results-1", "picker")
    page.locator(f"#source-results-1 [data-cite-key='{library.key}']").click()
    assert page.input_value("input[name=s1-use]") == library.key
    page.locator(".archive-sources fieldset.proposed-source").first.scroll_into_view_if_needed()
    _shot_element(page, ".archive-sources", "sources")

    # A date r2p cannot read: explained, and nothing typed is lost.
    page.fill("input[name=s0-issued]", "last spring")
    page.locator(".archive-sources button:has-text('Save corrections and check again')").click()
    page.wait_for_selector("[role=alert]:has-text('Not saved yet')")
    assert "not “last spring”" in page.inner_text("fieldset.proposed-source.has-errors")
    assert page.input_value("input[name=s0-title]") == "Corrected on the review screen"
    assert page.input_value("input[name=s1-use]") == library.key
    _shot_element(page, "fieldset.proposed-source.has-errors", "sources-error")
    page.fill("input[name=s0-issued]", "2022")
    page.locator(".archive-sources button:has-text('Save corrections and check again')").click()
    page.wait_for_selector(".message:has-text('cited as library source @" + library.key + "')")
    assert page.input_value("input[name=s0-title]") == "Corrected on the review screen"

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
    assert Source.objects.filter(title="Corrected on the review screen").exists()

    # The public annex page offers the original publication; the download is the uploaded file.
    page.goto(live_server.url + "/annex/2022/JPN/")
    link = page.locator(".downloads a:has-text('Original publication (text)')")
    assert "1 September 2022" in page.inner_text(".downloads .original-download")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "r2p-annex-2022-JPN-v1-original.txt"
    assert Path(download.path()).read_bytes() == REFERENCE.read_bytes()
    _shot_element(page, ".annex-page-aside .downloads", "public-downloads")
