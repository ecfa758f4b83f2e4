"""The whole review cycle with suggestions and comments on a passage, in a real browser (Debian's chromium).

The researcher drafts and submits; the reviewer suggests two edits and comments on a selected passage; the
researcher accepts one, rejects one, replies, edits the commented sentence (the comment follows it) and
resubmits; the reviewer reads "changes since my last review", resolves the threads and approves; the history
names suggester, acceptor and approver. R2P_SCREENSHOTS=<dir> keeps a screenshot of every step (1400 px wide).
"""

import re

import pytest

from assessments.models import AssessmentItem, ItemStatus, Suggestion, SuggestionStatus
from tests.browser.test_review_path import CHROMIUM, Walk, demo_live, page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]

TITLE = "Protection of populations from atrocity crimes"
NOTES = (
    "The Republic of Korea has ratified the Rome Statute and the Genocide Convention.[@hrw-2022-south-korea]\n\n"
    "Civil society organisations operate freely and are broadly able to monitor the government.\n\n"
    "Hate speech against migrants increased during the pandemic."
)
QUOTE = "broadly able to monitor the government"

SELECT_IN_PREVIEW = """(quote) => {
  const preview = document.getElementById("preview");
  const walker = document.createTreeWalker(preview, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.nodeValue.indexOf(quote);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + quote.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    node.parentElement.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    return true;
  }
  return false;
}"""


RESOLVE_BUTTONS_FEWER_THAN = """n => Array.from(document.querySelectorAll("#comments button"))
  .filter(button => button.textContent.includes("Mark resolved")).length < n"""


def suggest(browser, old: str, new: str) -> None:
    browser.locator("details.suggest").evaluate("details => { details.open = true; }")
    field = browser.locator("#suggest-notes")
    field.fill(field.input_value().replace(old, new))
    browser.click("button:has-text('Save suggestion')")
    browser.wait_for_selector(".message:has-text('Your suggestion is saved')")


@pytest.mark.django_db(transaction=True)
def test_review_cycle_with_suggestions_and_passage_comments(live_server, demo_live, page, mailoutbox):  # noqa: F811
    walk = Walk(page, live_server.url)
    page.set_viewport_size({"width": 1400, "height": 1000})

    # 1. The researcher drafts and submits.
    walk.login("researcher")
    page.click(".work-row a:has-text('Republic of Korea')")
    page.click(f"a:has-text('{TITLE}')")
    page.click("label.opt-strong")
    page.fill("#id_notes", NOTES)
    page.click("button:has-text('Save and submit for review')")
    page.wait_for_selector(".message:has-text('submitted for review')")
    walk.logout()

    # 2. The reviewer suggests two edits and comments on a selected passage, then requests changes.
    walk.login("reviewer")
    walk.open_item_from("Awaiting my review", TITLE)
    suggest(page, "increased during the pandemic", "rose sharply during the COVID-19 pandemic")
    suggest(page, "Rome Statute and", "Rome Statute (2000) and")
    assert page.locator(".suggestion").count() == 2
    assert page.evaluate(SELECT_IN_PREVIEW, QUOTE)
    assert page.locator("[data-anchor-preview]").inner_text() == QUOTE
    page.fill("#id_body", "Is this still true after the 2023 law? ")
    page.locator("#id_body").press_sequentially("@rese")  # the @mention menu offers the people assigned
    page.wait_for_selector(".mention-menu [role=option]:has-text('@researcher')")
    page.keyboard.press("Enter")
    assert page.input_value("#id_body") == "Is this still true after the 2023 law? @researcher "
    page.click("button:has-text('Add comment')")
    page.wait_for_selector(f"#comments .anchor-quote:has-text('{QUOTE}')")
    page.wait_for_selector("#preview mark.anchor-mark")  # the passage is highlighted
    walk.shot("reviewer-suggested-and-commented")
    page.fill("#id_review_comment", "See my two suggestions and the question.")
    page.click("button:has-text('Request changes')")
    page.wait_for_selector(".message:has-text('returned to its researchers')")
    walk.logout()

    # 3. The researcher accepts one suggestion, rejects the other, replies, edits the sentence, resubmits.
    walk.login("researcher")
    walk.open_item_from("Returned to me", TITLE)
    assert page.locator("#comments .thread").first.locator(".thread-flag").inner_text() == "CHANGES REQUESTED"
    walk.shot("researcher-sees-suggestions")
    first = page.locator(".suggestion", has_text="COVID-19")
    first.locator("button:has-text('Accept')").click()
    page.wait_for_selector(".message:has-text('accepted')")
    page.locator(".suggestion", has_text="(2000)").locator("button:has-text('Reject')").click()
    page.wait_for_selector(".message:has-text('rejected')")
    assert page.locator(".suggestion").count() == 0
    thread = page.locator(".thread", has_text=QUOTE)
    thread.locator("details.reply > summary").click()
    thread.locator("textarea[name=body]").fill("Yes: the 2023 law did not change this.")
    thread.locator("button:has-text('Reply')").click()
    page.wait_for_selector(".replies:has-text('the 2023 law did not change this')")
    notes = page.input_value("#id_notes")
    page.fill(
        "#id_notes", notes.replace("Civil society organisations operate freely", "Civil society groups work freely")
    )
    page.click("button:has-text('Save and submit for review')")
    page.wait_for_selector(".message:has-text('submitted for review')")
    thread = page.locator(".thread", has_text=QUOTE)
    assert thread.locator(".anchor-state").count() == 0  # found as it was: the comment followed the sentence
    page.wait_for_selector("#preview mark.anchor-mark")
    walk.logout()

    # 4. The reviewer reads the changes since their last review, resolves the threads and approves.
    walk.login("reviewer")
    page.click("a:has-text('changes since my last review')")
    page.wait_for_selector("h1:has-text('Changes since your last review')")
    inserted = page.locator(".notes-diff ins").all_inner_texts()
    assert {"groups", "work", "rose sharply"} <= set(inserted)
    walk.shot("reviewer-changes-since")
    page.click("a:has-text('Back to the review')")
    while page.locator("#comments button:has-text('Mark resolved')").count():
        count = page.locator("#comments button:has-text('Mark resolved')").count()
        page.locator("#comments button:has-text('Mark resolved')").first.click()
        page.wait_for_function(RESOLVE_BUTTONS_FEWER_THAN, arg=count)
    page.reload()
    assert page.locator("input[name=confirm_open]").count() == 0
    page.click("button:has-text('Approve')")
    page.wait_for_selector(".message:has-text('is approved')")
    walk.shot("reviewer-approved")

    # 5. The history names suggester, acceptor and approver.
    item = AssessmentItem.objects.get(country_assessment__cycle__year=2025, indicator__code="BC-1")
    assert item.status == ItemStatus.APPROVED
    assert "rose sharply during the COVID-19 pandemic" in item.notes and "(2000)" not in item.notes
    rows = list(item.history.order_by("history_date", "history_id"))
    accepted = next(row for row in rows if row.history_change_reason.startswith("accepted suggestion"))
    assert accepted.history_change_reason == "accepted suggestion by Rui Reviewer"
    assert accepted.history_user.username == "researcher"
    assert (rows[-1].history_change_reason, rows[-1].history_user.username) == ("approved", "reviewer")
    decided = dict(Suggestion.objects.values_list("status", "decided_by__username"))
    assert decided == {SuggestionStatus.ACCEPTED: "researcher", SuggestionStatus.REJECTED: "researcher"}
    assert any(re.search("mentioned you", message.subject) for message in mailoutbox)
