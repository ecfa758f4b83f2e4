"""The whole review path in a real browser (Debian's chromium through Playwright).

A researcher drafts an indicator with a citation chosen in the source picker and submits it; the reviewer
requests changes with a comment; the researcher revises and resubmits; the reviewer approves; the
dashboard's progress moves at each step. Set R2P_SCREENSHOTS=<dir> to keep a screenshot of every step.
"""

import os
import re
from pathlib import Path

import pytest

from assessments.demo.loader import demo_load
from assessments.models import AssessmentItem, ItemStatus

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable from the test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
SCREENSHOTS = os.environ.get("R2P_SCREENSHOTS")


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        page.set_default_timeout(15_000)
        console_errors = []
        page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
        yield page
        browser.close()
        # The CSP must not block anything the pages use (favicon 404s aside).
        assert [error for error in console_errors if "Content Security Policy" in error] == []


@pytest.fixture
def demo_live(transactional_db):
    return demo_load()


class Walk:
    """Steps of the walk, with a screenshot after each when asked for."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url, self.step = page, base_url, 0

    def shot(self, name: str) -> None:
        self.step += 1
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=f"{SCREENSHOTS}/{self.step:02d}-{name}.png", full_page=True)

    def login(self, username: str) -> None:
        self.page.goto(self.base_url + "/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", f"r2p-{username}")
        self.page.click("main button[type=submit]")
        self.page.wait_for_url(re.compile(r"/work/$"))

    def logout(self) -> None:
        self.page.click("button:has-text('Log out')")
        self.page.wait_for_url(re.compile(r"/$"))

    def korea_progress(self) -> str:
        """The accessible description of Korea 2025's progress bar on the dashboard."""
        row = self.page.locator(".work-row", has_text="Republic of Korea")
        return row.locator("svg.progressbar-track").get_attribute("aria-label")

    def open_item_from(self, section_heading: str, title: str) -> None:
        section = self.page.locator("section.card", has=self.page.locator(f"h2:has-text('{section_heading}')"))
        section.locator(f"a:has-text('{title}')").click()
        self.page.wait_for_selector("h1:has-text('Protection of populations')")


@pytest.mark.django_db(transaction=True)
def test_researcher_and_reviewer_walk_the_review_path(live_server, demo_live, page, mailoutbox):
    walk = Walk(page, live_server.url)
    title = "Protection of populations from atrocity crimes"

    # 1. The researcher drafts BC-1 with a citation picked from the library, then submits it.
    walk.login("researcher")
    assert walk.korea_progress().startswith("0 approved, 0 in review, 0 changes requested, 0 drafted")
    walk.shot("researcher-dashboard")
    page.click(".work-row a:has-text('Republic of Korea')")
    page.click(f"a:has-text('{title}')")
    page.wait_for_selector("#id_notes")
    page.click("label.opt-strong")
    page.wait_for_selector("#rating-preview:has-text('Trend Decrease')")  # 2022 was Very Strong
    page.fill("#id_notes", "Civilians are protected by law and in practice, with gaps for migrant workers.")
    page.fill("#source-search", "Events of 2021")
    page.click("[data-cite-key='hrw-2022-south-korea']")
    assert page.input_value("#id_notes").endswith("migrant workers.[@hrw-2022-south-korea]")
    page.wait_for_selector("#preview:has-text('South Korea: Events of 2021')")  # live preview lists the source
    walk.shot("researcher-drafting")
    page.click("button:has-text('Save draft')")
    page.wait_for_selector(".message:has-text('Draft saved (version 2)')")
    page.click("button:has-text('Save and submit for review')")
    page.wait_for_selector(".message:has-text('submitted for review')")
    assert page.locator(".item-head .status").inner_text() == "In review"
    assert [message.to for message in mailoutbox] == [["reviewer@example.org"]]
    walk.shot("researcher-submitted")
    page.click("a:has-text('My work')")
    assert walk.korea_progress().startswith("0 approved, 1 in review")
    walk.logout()

    # 2. The reviewer finds it waiting and requests changes with a comment.
    walk.login("reviewer")
    walk.open_item_from("Awaiting my review", title)
    walk.shot("reviewer-reviewing")
    page.fill("#id_review_comment", "Please cite the 2023 report on migrant workers as well.")
    page.click("button:has-text('Request changes')")
    page.wait_for_selector(".message:has-text('returned to its researchers')")
    assert page.locator(".item-head .status").inner_text() == "Changes requested"
    walk.logout()

    # 3. The researcher sees it returned, reads the comment, revises and resubmits.
    walk.login("researcher")
    assert walk.korea_progress().startswith("0 approved, 0 in review, 1 changes requested")
    walk.open_item_from("Returned to me", title)
    assert page.locator("#comments").inner_text().count("Please cite the 2023 report") == 1
    walk.shot("researcher-returned")
    page.locator("#id_notes").press("Control+End")
    page.locator("#id_notes").type(" The 2023 report confirms this.")
    page.click("button:has-text('Save and submit for review')")
    page.wait_for_selector(".message:has-text('submitted for review')")
    walk.logout()

    # 4. The reviewer approves.
    walk.login("reviewer")
    walk.open_item_from("Awaiting my review", title)
    page.check("input[name=confirm_open]")  # the request for changes is still an open thread
    page.click("button:has-text('Approve')")
    page.wait_for_selector(".message:has-text('is approved')")
    assert page.locator(".item-head .status").inner_text() == "Approved"
    walk.shot("reviewer-approved")
    walk.logout()

    # 5. The dashboard's progress has moved.
    walk.login("researcher")
    assert walk.korea_progress().startswith("1 approved, 0 in review, 0 changes requested")
    walk.shot("researcher-progress")
    item = AssessmentItem.objects.get(country_assessment__cycle__year=2025, indicator__code="BC-1")
    assert item.status == ItemStatus.APPROVED
    assert item.notes.endswith("The 2023 report confirms this.")
    reasons = list(item.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-5:] == ["submitted for review", "changes requested", "edited", "submitted for review", "approved"]
