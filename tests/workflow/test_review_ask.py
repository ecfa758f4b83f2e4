"""An editor asks a reviewer to review an item of any cycle: a correction to last cycle's published annex, reviewed
by a reviewer of the new cycle, who got 403 on it before being asked."""

from django.test import Client
from django.urls import reverse

from assessments.models import Assignment, AssignmentRole, ItemStatus
from assessments.workflow import permissions
from assessments.workflow.services import item_reopen, item_submit, item_update
from tests.workflow.conftest import fresh


def url(item, name="item-edit"):
    ca = item.country_assessment
    return reverse(name, args=[ca.cycle.year, ca.country.code, item.slug])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def correction_in_review(korea_2022, editor):
    """The editor reopens a published Korea 2022 item, corrects it and submits it for review."""
    item = fresh(korea_2022.items.get(indicator__code="PM-2"))
    item = item_reopen(item=item, user=editor, reason="correction: wrong date")
    item = item_update(item=item, user=editor, expected_version=item.version, notes=item.notes + " Corrected.")
    return item_submit(item=item, user=editor)


def test_reviewer_asked_by_an_editor_reaches_and_approves_last_cycles_correction(korea_2022, people):
    editor, reviewer = people["editor"], people["reviewer"]
    item = correction_in_review(korea_2022, editor)
    as_reviewer = logged_in(reviewer)
    assert as_reviewer.get(url(item)).status_code == 403  # a reviewer of 2025, not of 2022

    as_editor = logged_in(editor)
    page = as_editor.get(url(item)).content.decode()
    assert 'action="' + url(item, "item-review-ask") + '"' in page and f'value="{reviewer.pk}"' in page
    response = as_editor.post(url(item, "item-review-ask"), {"reviewer": reviewer.pk})
    assert response.status_code == 302 and response["Location"] == url(item) + "#review"
    assert Assignment.objects.filter(
        country_assessment=korea_2022, user=reviewer, role=AssignmentRole.REVIEWER
    ).exists()
    record = Assignment.history.filter(country_assessment_id=korea_2022.pk, user_id=reviewer.pk).latest("history_date")
    assert record.history_user == editor and record.history_change_reason == f"asked to review {item.label}"

    page = as_reviewer.get(url(item))
    assert page.status_code == 200 and 'class="primary approve"' in page.content.decode()
    response = as_reviewer.post(url(item, "item-approve"), {"comment": "Correction checked."})
    assert response.status_code == 302
    assert fresh(item).status == ItemStatus.APPROVED


def test_only_editors_ask_and_only_before_approval(korea_2022, people):
    item = fresh(korea_2022.items.get(indicator__code="PM-2"))  # approved (published)
    assert not permissions.can_ask_review(people["editor"], item)
    assert logged_in(people["editor"]).post(url(item, "item-review-ask"), {"reviewer": 1}).status_code == 403
    item = correction_in_review(korea_2022, people["editor"])
    assert permissions.ASK_REVIEW in permissions.item_actions(people["editor"], item)
    assert not permissions.can_ask_review(people["researcher"], item)
    assert not permissions.can_ask_review(people["reviewer"], item)


def test_asking_someone_without_the_reviewer_role_is_refused(korea_2022, people):
    item = correction_in_review(korea_2022, people["editor"])
    response = logged_in(people["editor"]).post(url(item, "item-review-ask"), {"reviewer": people["researcher"].pk})
    assert response.status_code == 302
    assert not Assignment.objects.filter(country_assessment=korea_2022, user=people["researcher"]).exists()
