"""Staff pages in a real browser (Debian's chromium): no horizontal scroll at 390 px and 1,400 px, no axe-core
violations (WCAG 2.2 AA and best practices), and an indicator drafted and submitted with the keyboard only."""

import os

import pytest
from django.urls import reverse

from assessments.demo.loader import demo_load
from assessments.models import AssessmentItem, ItemStatus
from tests.browser.chromium import CHROMIUM

from .axe import AXE_AVAILABLE, page_problems

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
PASSWORDS = {"researcher": "r2p-researcher", "editor": "r2p-editor"}


def staff_pages(role: str) -> list[str]:
    """The staff pages each role works in (demo data: Korea 2025 draft assigned to the researcher)."""
    pages = [
        reverse("dashboard"),
        reverse("cycle-detail", args=[2025]),
        reverse("country-assessment", args=[2025, "KOR"]),
        reverse("item-edit", args=[2025, "KOR", "BC-1"]),
        reverse("item-edit", args=[2025, "KOR", "overview"]),
        reverse("item-history", args=[2025, "KOR", "BC-1"]),
        reverse("source-list"),
        reverse("source-detail", args=["hrw-2022-south-korea"]),
        reverse("search") + "?q=human+rights",
        reverse("search") + "?q=kigali&cycle=2022",
        reverse("overview-latest"),
        reverse("password_change"),
    ]
    if role == "editor":
        pages += [
            reverse("country-assessment", args=[2022, "KOR"]),
            reverse("item-edit", args=[2022, "KOR", "UN-6"]),
            reverse("cycle-overview", args=[2025]),
            reverse("cycle-heatmap", args=[2022]),
            reverse("cycle-charts", args=[2022]),
            reverse("data-import"),
            reverse("citation-report", args=[2022, "KOR"]),
            reverse("annex-publish", args=[2022, "KOR"]),  # the publish confirmation page
        ]
    return pages


@pytest.fixture
def demo_live(transactional_db):
    return demo_load()


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_staff_pages_reflow_and_pass_axe(browser, live_server, demo_live, capsys):
    checked, problems = 0, []
    for width in (390, 1400):
        for role in ("researcher", "editor"):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            log_in(page, live_server.url, role)
            for path in staff_pages(role):
                response = page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                where = f"{role} {width}px {path}"
                if response.status != 200:
                    problems.append(f"{where}: HTTP {response.status}")
                    continue
                problems += page_problems(page, width, where)
                checked += 1
            context.close()
    with capsys.disabled():
        print(f"\nstaff pages checked (390 and 1400 px, researcher and editor): {checked}, axe-core: {AXE_AVAILABLE}")
    assert problems == [], "\n".join(problems)
    assert checked >= 60


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only: no click, no programmatic focus)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_draft_and_submit(browser, live_server, demo_live):
    page = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    tab_to(page, "#id_username")
    page.keyboard.type("researcher")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORDS["researcher"])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(live_server.url + reverse("item-edit", args=[2025, "KOR", "BC-1"]))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")  # skip the header
    tab_to(page, "input[name=rating]:checked")
    for _ in range(3):  # Not rated → Very Strong → Strong → Fair: a radio group moves with the arrow keys
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.querySelector('input[name=rating]:checked').value") == "fair"
    tab_to(page, "#source-search")
    page.keyboard.type("hrw 2022")
    page.wait_for_selector("#source-results [role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.getElementById('source-search').getAttribute('aria-expanded')") == "true"
    page.keyboard.press("Enter")  # cites the chosen source into the notes, whose field takes the focus
    assert page.evaluate("document.activeElement.id") == "id_notes"
    page.keyboard.press("Home")
    page.keyboard.type("Typed without a mouse; the government kept its commitments. ")
    tab_to(page, "button.submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")

    item = AssessmentItem.objects.get(country_assessment__cycle__year=2025, indicator__code="BC-1")
    assert item.status == ItemStatus.IN_REVIEW, (item.status, item.rating, item.notes)
    assert item.rating == "fair"
    assert item.notes.startswith("Typed without a mouse") and "[@hrw-2022" in item.notes
