"""Opening 2028 from 2025 in a real browser (Debian's chromium), step by step, at 1,400 and 390 px: every step
reflows without horizontal scroll, has one H1 and (when axe-core is installed) no axe violations.

Screenshots of each step go to R2P_SHOTS_DIR when it is set."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from assessments.demo.loader import demo_load
from assessments.models import Assignment, CountryAssessment, Indicator
from tests.browser.axe import page_problems
from tests.browser.chromium import CHROMIUM

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
SHOTS = Path(os.environ["R2P_SHOTS_DIR"]) if os.environ.get("R2P_SHOTS_DIR") else None


def check(page, width: int, name: str, problems: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    problems += page_problems(page, width, f"{name} {width}px")
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1400, 390])
def test_open_2028_from_2025_in_the_browser(browser, live_server, transactional_db, tmp_path, width):
    demo_load()
    problems: list[str] = []
    year, previous = 2028, 2025
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "r2p-editor")
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}{reverse('cycle-detail', args=[previous])}")
    page.click(f"text=Open the next cycle from {previous}")
    page.wait_for_url(lambda url: "/cycles/new/" in url)
    assert page.input_value("#id_year") == str(year)
    page.fill("#id_coverage_start", "2025-07-01")  # the demo's 2025 has no coverage period to move forward
    page.fill("#id_coverage_end", "2028-06-30")
    check(page, width, "1-cycle", problems)
    page.click("button:has-text('Open the cycle')")
    page.wait_for_url(lambda url: f"/cycles/{year}/framework/" in url)
    assert "is set up from" in page.inner_text(".messages")

    # Rename BC-3 (code and title) and add UN-8 in the browser.
    row = page.locator("#i-BC-3")
    row.locator("summary").click()
    row.locator("input[name=code]").fill("BC-4")
    row.locator("input[name=title]").fill("Justice for past atrocities")
    row.locator("button:has-text('Rename')").click()
    page.wait_for_load_state("networkidle")
    assert "Renamed: BC-4" in page.inner_text(".messages")
    page.select_option("#id_area", label="United Nations, Prevention, Peacekeeping and Assistance")
    page.fill("#id_code", "UN-8")
    page.fill("#id_title", "Support for UN atrocity prevention mechanisms")
    page.click("button:has-text('Add the indicator')")
    page.wait_for_load_state("networkidle")
    page.locator("#i-BC-4 summary").click()  # show the edit forms in the screenshot
    check(page, width, "2-framework", problems)

    page.click("text=Next: countries")
    page.wait_for_url(lambda url: f"/cycles/{year}/countries/" in url)
    assert page.is_checked("input[name=countries]")  # Korea, from the previous cycle
    page.fill("#id_more", "NZL JPN")
    check(page, width, "3-countries", problems)
    page.click("button:has-text('Add the countries')")
    page.wait_for_url(lambda url: f"/cycles/{year}/assignments/" in url)

    bad = tmp_path / f"bad-{year}.csv"
    bad.write_text(
        "country,researcher,reviewer,due_date\nKOR,researcher,reviewer,2028-09-30\nXYZ,nobody,researcher,soon\n"
    )
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('Assign')")
    page.wait_for_load_state("networkidle")
    assert "Nothing was assigned" in page.inner_text("main")
    check(page, width, "4-assignments-errors", problems)
    good = tmp_path / f"good-{year}.csv"
    good.write_text(
        "country,researcher,reviewer,due_date\nKOR,researcher,reviewer,2028-09-30\n"
        "NZL,researcher,reviewer,2028-10-31\nJPN,researcher,reviewer,\n"
    )
    page.set_input_files("#id_file", str(good))
    page.click("button:has-text('Assign')")
    page.wait_for_load_state("networkidle")
    assert "3 countries assigned: 6 assignments made" in page.inner_text(".messages")
    check(page, width, "4-assignments", problems)
    page.context.close()

    assert Indicator.objects.filter(cycle__year=year).count() == 37
    assert CountryAssessment.objects.filter(cycle__year=year).count() == 3
    assert Assignment.objects.filter(country_assessment__cycle__year=year).count() == 6
    assert problems == [], "\n".join(problems)
