"""item_revert and revision numbering."""

import pytest
from django.core.exceptions import PermissionDenied

from assessments.history import timeline
from assessments.history.revert import RevisionNotFound, item_revert
from assessments.models import Citation
from assessments.workflow.services import EditConflict, item_request_changes, item_submit
from tests.factories import SourceFactory


@pytest.fixture
def revised(item, people, edit):
    """BC-1 with revisions 1 (created), 2 (fair, cites hrw), 3 (weak, cites ai)."""
    SourceFactory(key="hrw-2024")
    SourceFactory(key="ai-2024")
    item = edit(item, people["researcher"], rating="fair", trend="new", notes="First [@hrw-2024, p. 1].")
    return edit(item, people["researcher"], rating="weak", notes="Second [@ai-2024].")


def test_revision_numbers_are_chronological_and_stable(revised, people, edit):
    rows = list(timeline.item_history(revised))
    assert timeline.revision_numbers(revised.pk, rows) == {row.pk: n for n, row in zip([3, 2, 1], rows, strict=True)}
    edit(revised, people["researcher"], notes="Third.")
    assert timeline.revision_numbers(revised.pk, rows) == {row.pk: n for n, row in zip([3, 2, 1], rows, strict=True)}


def test_revert_restores_content_as_a_new_revision(revised, people):
    second = timeline.item_history(revised).get(version=2)
    item = item_revert(item=revised, revision_id=second.pk, user=people["researcher"], expected_version=3)
    assert (item.rating, item.trend, item.notes, item.version) == ("fair", "decrease", "First [@hrw-2024, p. 1].", 4)
    assert [c.key for c in Citation.objects.filter(item=item)] == ["hrw-2024"]  # citations follow the notes
    rows = list(timeline.item_history(item))
    assert len(rows) == 4  # nothing rewritten: a fourth revision
    assert (rows[0].history_change_reason, rows[0].history_user) == ("reverted to revision 2", people["researcher"])
    assert rows[1].notes == "Second [@ai-2024]."


def test_revert_to_the_current_content_writes_nothing(revised, people):
    current = timeline.item_history(revised).first()
    item = item_revert(item=revised, revision_id=current.pk, user=people["researcher"], expected_version=3)
    assert item.version == 3
    assert timeline.item_history(item).count() == 3


def test_revert_needs_the_edit_right(revised, people):
    second = timeline.item_history(revised).get(version=2)
    with pytest.raises(PermissionDenied):
        item_revert(item=revised, revision_id=second.pk, user=people["reviewer"], expected_version=3)
    item = item_submit(item=revised, user=people["researcher"])  # in review: nobody may edit
    with pytest.raises(PermissionDenied):
        item_revert(item=item, revision_id=second.pk, user=people["researcher"], expected_version=3)


def test_revert_is_optimistically_locked(revised, people):
    second = timeline.item_history(revised).get(version=2)
    with pytest.raises(EditConflict):
        item_revert(item=revised, revision_id=second.pk, user=people["researcher"], expected_version=2)


def test_revert_refuses_another_items_revision(revised, people, korea_2025):
    other = korea_2025.items.get(indicator__code="BC-2")
    foreign = timeline.item_history(other).first()
    with pytest.raises(RevisionNotFound):
        item_revert(item=revised, revision_id=foreign.pk, user=people["researcher"], expected_version=3)


def test_status_is_never_restored(revised, people):
    item = item_submit(item=revised, user=people["researcher"])
    item = item_request_changes(item=item, user=people["reviewer"], comment="Go back.")
    first = timeline.item_history(item).last()
    item = item_revert(item=item, revision_id=first.pk, user=people["researcher"], expected_version=item.version)
    assert (item.status, item.rating, item.notes) == ("changes_requested", "", "")
    assert timeline.item_history(item).first().history_change_reason == "reverted to revision 1"


def test_compare_marks_field_changes_and_notes(revised):
    rows = list(timeline.item_history(revised))
    newer, older = (timeline.Revision(record=row, number=n) for row, n in zip(rows[:2], [3, 2], strict=True))
    comparison = timeline.compare(older, newer)
    assert {(c.name, c.old, c.new) for c in comparison.changes} == {
        ("rating", "Fair", "Weak"),
        ("notes", "First [@hrw-2024, p. 1].", "Second [@ai-2024]."),
    }
    assert "<del" in comparison.notes.diff_html and "<ins" in comparison.notes.diff_html
