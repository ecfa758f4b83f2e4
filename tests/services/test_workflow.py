import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from assessments.models import Comment, ItemStatus
from assessments.workflow.services import (
    EditConflict,
    WorkflowError,
    item_approve,
    item_reopen,
    item_request_changes,
    item_submit,
    item_update,
)
from tests.factories import SourceFactory, UserFactory


@pytest.fixture
def item(korea_2025):
    return korea_2025.items.get(indicator__code="BC-1")


def draft(item, user, **changes):
    return item_update(item=item, user=user, expected_version=item.version, **changes)


def test_full_review_cycle(item, people, django_capture_on_commit_callbacks):
    SourceFactory(key="hrw-2024")
    item = draft(item, people["researcher"], rating="strong", notes="Protected.[@hrw-2024]")
    assert (item.version, item.citations.get().source.key) == (2, "hrw-2024")
    with django_capture_on_commit_callbacks(execute=True):
        item = item_submit(item=item, user=people["researcher"])
    assert item.status == ItemStatus.IN_REVIEW
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        item = item_request_changes(item=item, user=people["reviewer"], comment="Cite the 2024 report.")
    assert item.status == ItemStatus.CHANGES_REQUESTED
    assert Comment.objects.get(item=item).body == "Cite the 2024 report."
    item = draft(item, people["researcher"], notes="Protected well.[@hrw-2024]")
    item = item_submit(item=item, user=people["researcher"])
    with django_capture_on_commit_callbacks(execute=True):
        item = item_approve(item=item, user=people["reviewer"])
    assert item.status == ItemStatus.APPROVED
    reasons = list(item.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-6:] == [
        "edited",
        "submitted for review",
        "changes requested",
        "edited",
        "submitted for review",
        "approved",
    ]
    with pytest.raises(PermissionDenied):
        draft(item, people["researcher"], notes="Sneaky edit")
    item = item_reopen(item=item, user=people["editor"], reason="New evidence")
    assert item.status == ItemStatus.DRAFT
    assert item.history.latest().history_change_reason == "reopened: New evidence"


def test_nobody_approves_their_own_change(item, people):
    editor = people["editor"]
    item = draft(item, editor, rating="fair", notes="Written by the editor.")
    item = item_submit(item=item, user=editor)
    with pytest.raises(PermissionDenied):
        item_approve(item=item, user=editor)
    assert item_approve(item=item, user=people["reviewer"]).status == ItemStatus.APPROVED


def test_submission_needs_rating_notes_and_known_sources(item, people):
    with pytest.raises(WorkflowError) as refused:
        item_submit(item=item, user=people["researcher"])
    assert refused.value.messages == ["Choose a rating.", "Write the notes."]
    item = draft(item, people["researcher"], rating="fair", notes="Text.\n\nMore [@nowhere, p. 2].")
    with pytest.raises(WorkflowError) as refused:
        item_submit(item=item, user=people["researcher"])
    assert refused.value.messages == ["Unknown citation key @nowhere (line 3, column 7)."]


def test_stale_edit_is_refused_and_nothing_is_overwritten(item, people):
    opened_at = item.version
    draft(item, people["researcher"], notes="First writer's text")
    with pytest.raises(EditConflict) as conflict:
        item_update(item=item, user=people["editor"], expected_version=opened_at, notes="Second writer's text")
    assert conflict.value.item.notes == "First writer's text"
    item.refresh_from_db()
    assert item.notes == "First writer's text"


def test_saving_unchanged_content_writes_no_history(item, people):
    item = draft(item, people["researcher"], notes="Same")
    rows = item.history.count()
    item = draft(item, people["researcher"], notes="Same")
    assert item.history.count() == rows
    assert item.version == 2


def test_unassigned_researcher_cannot_edit(item):
    outsider = UserFactory(role="Researcher")
    with pytest.raises(PermissionDenied):
        draft(item, outsider, notes="Not mine")


def test_reviewer_of_another_country_cannot_approve(item, people):
    item = draft(item, people["researcher"], rating="fair", notes="Text")
    item = item_submit(item=item, user=people["researcher"])
    with pytest.raises(PermissionDenied):
        item_approve(item=item, user=UserFactory(role="Reviewer"))


def test_request_changes_needs_a_comment(item, people):
    item = item_submit(item=draft(item, people["researcher"], rating="fair", notes="Text"), user=people["researcher"])
    with pytest.raises(WorkflowError):
        item_request_changes(item=item, user=people["reviewer"], comment=" ")


def test_trend_follows_the_rating_unless_overridden_with_a_reason(item, people):
    item = draft(item, people["researcher"], rating="fair")  # 2022: Very Strong
    assert item.trend == "decrease"
    item = draft(item, people["researcher"], trend="unchanged")  # no reason: the derived trend stays
    assert item.trend == "decrease"
    item = draft(item, people["researcher"], trend="unchanged", trend_override_reason="2022 rating was too high")
    assert item.trend == "unchanged"
    item = draft(item, people["researcher"], trend_override_reason="")  # reason withdrawn: back to derived
    assert item.trend == "decrease"


def test_submission_refuses_a_trend_contradicting_the_ratings(item, people):
    from assessments.workflow.services import submission_problems

    item = draft(item, people["researcher"], rating="fair", notes="Text")
    item.trend = "increase"  # as an import might leave it
    assert submission_problems(item) == [
        "The trend is Increase but the ratings give Decrease: give a reason for overriding it, "
        "or let it follow the ratings."
    ]


def test_trend_is_entered_by_hand_when_the_previous_cycle_is_legacy(demo, people):
    from assessments.models import CountryAssessment
    from assessments.workflow.services import submission_problems

    korea_2022 = CountryAssessment.objects.get(country__code="KOR", cycle__year=2022)  # 2019 is a legacy score
    item = korea_2022.items.get(indicator__code="BC-1")
    assert submission_problems(item) == []
    item.trend = ""
    assert submission_problems(item) == ["Choose a trend (the previous cycle's ratings are not known)."]


def test_start_from_the_previous_cycle(item, people):
    from assessments.workflow.services import item_copy_from_previous

    item = item_copy_from_previous(item=item, user=people["researcher"], expected_version=1)
    assert (item.rating, item.trend, item.version) == ("very_strong", "unchanged", 2)
    assert item.notes.startswith("South Korean citizens")
    assert item.history.latest().history_change_reason == "started from the 2022 assessment"
    with pytest.raises(WorkflowError):
        item_copy_from_previous(item=item, user=people["researcher"], expected_version=2)
    with pytest.raises(EditConflict):
        item_copy_from_previous(item=item, user=people["researcher"], expected_version=1)
    with pytest.raises(PermissionDenied):
        item_copy_from_previous(item=item, user=people["reviewer"], expected_version=2)


def test_submit_checks_the_right_before_the_content(item, people):
    with pytest.raises(PermissionDenied):
        item_submit(item=item, user=people["reviewer"])
