"""Every write path writes exactly one historical row per object it changes, with the acting user and a reason,
and none for objects it leaves unchanged."""

from assessments.demo.loader import demo_load
from assessments.history.revert import item_revert
from assessments.models import AssessmentItem, Assignment, Citation, CountryAssessment, Edition, ItemStatus, Source
from assessments.workflow.comments import comment_create, comment_resolve
from assessments.workflow.items import citations_sync
from assessments.workflow.services import item_approve, item_reopen, item_request_changes, item_submit
from tests.factories import SourceFactory
from tests.history.helpers import history_rows, new_rows


def latest(model, obj):
    return model.history.filter(id=obj.pk).select_related("history_user").first()


def test_service_edit(item, people, edit):
    SourceFactory(key="hrw-2024")
    SourceFactory(key="ai-2024")
    before = history_rows()
    item = edit(item, people["researcher"], rating="fair", notes="One [@hrw-2024, p. 2]. Two [@ai-2024].")
    assert new_rows(before) == {"AssessmentItem": 1, "Citation": 2}
    record = latest(AssessmentItem, item)
    assert (record.history_user, record.history_change_reason, record.version) == (people["researcher"], "edited", 2)
    assert {row.history_change_reason for row in Citation.history.filter(item=item)} == {"edited"}

    before = history_rows()
    item = edit(item, people["researcher"], notes="One [@hrw-2024, p. 3].")  # one locator changed, one removed
    assert new_rows(before) == {"AssessmentItem": 1, "Citation": 2}
    assert sorted(Citation.history.values_list("history_type", flat=True)[:2]) == ["-", "~"]

    before = history_rows()
    edit(item, people["researcher"], rating="fair", notes="One [@hrw-2024, p. 3].")  # same content
    assert new_rows(before) == {}


def test_admin_change_form_writes_nothing(client, item, people):
    """Item content is read-only in the Django admin: a POST to the change form is refused and writes no row."""
    client.force_login(people["admin"])
    url = f"/admin/assessments/assessmentitem/{item.pk}/change/"
    before = history_rows()
    assert client.post(url, {"rating": "strong", "notes": "Written in the admin."}).status_code == 403
    assert new_rows(before) == {}


def test_transitions(item, people, edit):
    item = edit(item, people["researcher"], rating="fair", notes="Text.")
    researcher, reviewer, editor = people["researcher"], people["reviewer"], people["editor"]
    steps = [
        (lambda i: item_submit(item=i, user=researcher), {"AssessmentItem": 1}, researcher, "submitted for review"),
        (
            lambda i: item_request_changes(item=i, user=reviewer, comment="Say more."),
            {"AssessmentItem": 1, "Comment": 1},
            reviewer,
            "changes requested",
        ),
        (lambda i: item_submit(item=i, user=researcher), {"AssessmentItem": 1}, researcher, "submitted for review"),
        (lambda i: item_approve(item=i, user=reviewer), {"AssessmentItem": 1}, reviewer, "approved"),
        (
            lambda i: item_reopen(item=i, user=editor, reason="New law"),
            {"AssessmentItem": 1},
            editor,
            "reopened: New law",
        ),
    ]
    for step, rows, user, reason in steps:
        before = history_rows()
        item = step(item)
        assert new_rows(before) == rows, reason
        record = latest(AssessmentItem, item)
        assert (record.history_user, record.history_change_reason, record.status) == (user, reason, item.status)
    assert item.status == ItemStatus.DRAFT


def test_submit_by_someone_else_than_the_last_editor_is_one_row(item, people, edit):
    item = edit(item, people["researcher"], rating="fair", notes="Text.")
    before = history_rows()
    item = item_submit(item=item, user=people["editor"])
    assert new_rows(before) == {"AssessmentItem": 1}
    # Submitting is not writing: the content's last writer stays the researcher (four-eyes reads contributions).
    assert latest(AssessmentItem, item).last_edited_by_id == people["researcher"].pk


def test_comments(item, people):
    before = history_rows()
    comment = comment_create(item=item, user=people["reviewer"], body="Cite the law.")
    assert new_rows(before) == {"Comment": 1}
    before = history_rows()
    comment = comment_resolve(comment=comment, user=people["researcher"])
    comment_resolve(comment=comment, user=people["researcher"])  # already resolved: nothing to write
    assert new_rows(before) == {"Comment": 1}
    record = latest(type(comment), comment)
    assert (record.history_user, record.history_change_reason) == (people["researcher"], "resolved")


def test_citations_sync(item, people):
    SourceFactory(key="hrw-2024")
    item.notes = "A [@hrw-2024]. B [@unknown-key, para. 4]."
    item.save()
    before = history_rows()
    citations_sync(items=[item], user=people["editor"], reason="resync")
    assert new_rows(before) == {"Citation": 2}
    before = history_rows()
    citations_sync(items=[item], user=people["editor"], reason="resync")  # nothing changed
    assert new_rows(before) == {}
    assert set(Citation.history.filter(item=item).values_list("history_user", "history_change_reason")) == {
        (people["editor"].pk, "resync")
    }


def test_revert(item, people, edit):
    item = edit(item, people["researcher"], rating="fair", notes="First text.")
    item = edit(item, people["researcher"], rating="weak", notes="Second text.")
    first = item.history.get(version=2)
    before = history_rows()
    item = item_revert(item=item, revision_id=first.pk, user=people["researcher"], expected_version=item.version)
    assert new_rows(before) == {"AssessmentItem": 1}
    assert latest(AssessmentItem, item).history_change_reason == "reverted to revision 2"


def test_demo_load(db):
    """The demo loader writes one row per object it creates or fills, and none when run again."""
    demo_load()
    items_filled = AssessmentItem.objects.filter(country_assessment__cycle__year=2022).count()
    assert history_rows() == {
        "CountryAssessment": CountryAssessment.objects.count(),
        "AssessmentItem": AssessmentItem.objects.count() + items_filled,
        "Source": Source.objects.count(),
        "Citation": Citation.objects.count(),
        "Comment": 0,
        "Assignment": Assignment.objects.count(),
        "Edition": Edition.objects.count(),  # Korea 2022 published as v1
    }
    assert not AssessmentItem.history.filter(history_user__isnull=True).exists()
    assert set(AssessmentItem.history.values_list("history_change_reason", flat=True)) == {"demo load"}
    before = history_rows()
    demo_load()
    assert new_rows(before) == {}


def test_import(korea_2025, people):
    """Importing a file writes one row per changed object, with the importer and reason 'import <file>'."""
    from assessments.io.indicators import import_indicator_assessments

    SourceFactory(key="hrw-2024")
    item = korea_2025.items.get(indicator__code="BC-2")
    item.rating, item.notes = "fair", "Unchanged text."
    item.save()
    before = history_rows()
    rows = (
        "country,cycle,indicator,rating,trend,notes\n"
        "KOR,2025,BC-1,Strong,,Protected.[@hrw-2024]\n"  # changed: rating, notes, one citation
        "KOR,2025,BC-2,Fair,,Unchanged text.\n"  # the same as stored: skipped
    )
    report = import_indicator_assessments(rows.encode(), user=people["admin"], dry_run=False, file_name="kor.csv")
    assert report.ok and report.written and report.changed == 1
    assert new_rows(before) == {"AssessmentItem": 1, "Citation": 1}
    record = AssessmentItem.history.filter(indicator__code="BC-1", country_assessment_id=korea_2025.pk).latest()
    assert (record.history_user, record.history_change_reason) == (people["admin"], "import kor.csv")
