"""Indicator-assessment import: all or nothing, plain errors, round trips, history, status rules, both paths."""

import pytest

from assessments.io.services import export_file, import_indicator_assessments, import_with_default_resource
from assessments.models import AssessmentItem, Citation, Country, CountryAssessment, Edition, ItemStatus
from tests.io.conftest import counts, csv_bytes, full_country_rows

PATHS = {"fast": import_indicator_assessments, "default": import_with_default_resource}


@pytest.fixture(params=list(PATHS))
def run_import(request):
    return PATHS[request.param]


def korea_2025_rows():
    return [
        {"country": "KOR", "cycle": 2025, "indicator": "BC-1", "rating": "Very Strong", "notes": "One."},
        {"country": "KOR", "cycle": 2025, "indicator": "BC-2", "rating": "strong", "notes": "Two."},
        {"country": "KOR", "cycle": 2025, "indicator": "BC-3", "rating": "Fair", "notes": "Three."},
    ]


def test_one_bad_row_in_the_middle_writes_nothing(run_import, editor, korea_2025):
    rows = full_country_rows("NZL", 2025)  # a new country assessment would be created...
    rows[17]["rating"] = "Very Good"  # ...but row 19 of the file is wrong
    before = counts()
    report = run_import(csv_bytes(rows), user=editor, dry_run=False, file_name="nzl.csv")
    assert not report.ok and not report.written
    assert counts() == before
    assert not CountryAssessment.objects.filter(country__code="NZL").exists()
    [message] = report.error_messages
    assert message.startswith("Row 19, ")
    assert 'column "rating"' in message and '"Very Good"' in message and "not a rating" in message
    assert "Traceback" not in message


def test_unknown_country_cycle_and_indicator_are_row_errors(run_import, editor, korea_2025):
    rows = korea_2025_rows() + [
        {"country": "XXX", "cycle": 2025, "indicator": "BC-1", "rating": "Fair"},
        {"country": "KOR", "cycle": 1999, "indicator": "BC-1", "rating": "Fair"},
        {"country": "KOR", "cycle": 2025, "indicator": "ZZ-9", "rating": "Fair"},
    ]
    before = counts()
    report = run_import(csv_bytes(rows), user=editor, dry_run=False, file_name="bad.csv")
    assert counts() == before
    messages = report.error_messages
    assert len(messages) == 3
    assert messages[0].startswith("Row 5, ") and 'column "country", value "XXX"' in messages[0]
    assert messages[1].startswith("Row 6, ") and 'column "cycle", value "1999"' in messages[1]
    assert messages[2].startswith("Row 7, ") and 'column "indicator", value "ZZ-9"' in messages[2]


def test_dry_run_reports_rows_and_writes_nothing(run_import, editor, korea_2025):
    before = counts()
    report = run_import(csv_bytes(korea_2025_rows()), user=editor, dry_run=True, file_name="kor.csv")
    assert report.ok and not report.written
    assert report.totals == {"new": 0, "update": 3, "skip": 0, "error": 0}
    assert [row.number for row in report.rows] == [2, 3, 4]
    assert counts() == before


def test_import_records_history_per_change_with_user_and_reason(run_import, editor, korea_2025):
    before = counts()
    report = run_import(csv_bytes(korea_2025_rows()), user=editor, dry_run=False, file_name="kor 2025.csv")
    assert report.ok and report.written and report.totals["update"] == 3
    assert counts()["AssessmentItem history"] == before["AssessmentItem history"] + 3
    history = list(AssessmentItem.history.order_by("-history_id")[:3])
    assert {record.history_user for record in history} == {editor}
    assert {record.history_change_reason for record in history} == {"import kor 2025.csv"}
    item = korea_2025.items.get(indicator__code="BC-2")
    assert (item.rating, item.notes, item.version, item.last_edited_by) == ("strong", "Two.", 2, editor)


@pytest.mark.parametrize("format_name", ["csv", "xlsx", "json"])
def test_export_then_reimport_reports_zero_changes(run_import, admin, korea_2022, format_name):
    data = export_file("indicator-assessments", format_name, cycle=2022, country="KOR")
    before = counts()
    report = run_import(data, user=admin, dry_run=False, file_name=f"kor.{format_name}")
    assert report.ok, report.error_messages
    assert report.totals == {"new": 0, "update": 0, "skip": 36, "error": 0}
    assert counts() == before


def test_changing_an_approved_item_puts_it_back_to_draft(run_import, editor, korea_2022):
    if not Edition.objects.filter(country_assessment=korea_2022).exists():  # the demo may publish it already
        Edition.objects.create(
            country_assessment=korea_2022,
            number=1,
            published_at="2022-12-01T00:00Z",
            published_by=editor,
            content_hash="0" * 64,
            html="<p>frozen</p>",
            snapshot={"frozen": True},
        )
    editions_before = list(Edition.objects.order_by("pk").values())
    data = export_file("indicator-assessments", "csv", cycle=2022, country="KOR")
    data = data.replace(b"South Korean citizens are adequately protected", b"Citizens are protected")
    before = counts()
    report = run_import(data, user=editor, dry_run=False, file_name="kor-2022.csv")
    assert report.ok, report.error_messages
    assert report.totals["update"] == 1 and report.totals["skip"] == 35
    item = korea_2022.items.get(indicator__code="BC-1")
    assert item.status == ItemStatus.DRAFT and item.notes.startswith("Citizens are protected")
    record = item.history.first()
    assert (record.status, record.history_user) == ("draft", editor)
    assert record.history_change_reason == "import kor-2022.csv (back to draft from approved)"
    assert item.history.all()[1].status == "approved"
    assert list(Edition.objects.order_by("pk").values()) == editions_before  # published editions are untouched
    assert counts()["Edition history"] == before["Edition history"]


def test_an_import_never_approves(run_import, editor, admin, korea_2025):
    """Before: an admin's file with status "approved" approved content nobody reviewed."""
    rows = [{**korea_2025_rows()[0], "status": "approved"}]
    for user in (editor, admin):
        report = run_import(csv_bytes(rows), user=user, dry_run=False, file_name="s.csv")
        assert report.ok, report.error_messages
        item = korea_2025.items.get(indicator__code="BC-1")
        assert item.status == ItemStatus.DRAFT and item.approved_version == 0
    assert not item.history.filter(status=ItemStatus.APPROVED).exists()


def test_an_import_into_an_item_in_review_sends_it_back_to_draft(run_import, editor, korea_2025, django_user_model):
    """Before: the reviewer approved words the researcher never submitted."""
    from assessments.workflow.services import item_submit, item_update

    researcher = django_user_model.objects.get(username="researcher")
    item = korea_2025.items.get(indicator__code="BC-1")
    item = item_update(
        item=item,
        user=researcher,
        expected_version=item.version,
        rating="strong",
        notes="Text [@hrw-2022-south-korea].",
    )
    item_submit(item=item, user=researcher)
    rows = [{**korea_2025_rows()[0], "notes": "The editor's replacement text."}]
    report = run_import(csv_bytes(rows), user=editor, dry_run=False, file_name="r.csv")
    assert report.ok, report.error_messages
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and item.notes == "The editor's replacement text."
    assert item.history.first().history_change_reason == "import r.csv (back to draft from in review)"


def test_import_derives_trends_from_the_previous_cycle(run_import, editor, korea_2025):
    """Before: the import stored the file's trend even where the 2022 ratings say otherwise."""
    rows = [{**korea_2025_rows()[0], "rating": "Weak", "trend": "Increase"}]  # 2022 BC-1 was Very Strong
    preview = run_import(csv_bytes(rows), user=editor, dry_run=True, file_name="t.csv")
    assert run_import is import_with_default_resource or any(
        "trend: Decrease (follows from the 2022 rating)" in change for row in preview.rows for change in row.changes
    )
    report = run_import(csv_bytes(rows), user=editor, dry_run=False, file_name="t.csv")
    assert report.ok, report.error_messages
    assert korea_2025.items.get(indicator__code="BC-1").trend == "decrease"


def test_archive_import_is_for_editors_and_says_imported(admin, demo, django_user_model):
    rows = full_country_rows("NZL", 2022)
    researcher = django_user_model.objects.get(username="researcher")
    report = import_indicator_assessments(
        csv_bytes(rows), user=researcher, dry_run=False, file_name="a.csv", archive=True
    )
    assert not report.ok and "Only editors and administrators import archive records" in report.error_messages[0]
    assert not CountryAssessment.objects.filter(country__code="NZL", cycle__year=2022).exists()
    report = import_indicator_assessments(csv_bytes(rows), user=admin, dry_run=False, file_name="a.csv", archive=True)
    assert report.ok, report.error_messages
    item = AssessmentItem.objects.get(
        country_assessment__country__code="NZL", country_assessment__cycle__year=2022, indicator__code="BC-1"
    )
    assert item.status == ItemStatus.APPROVED and item.approved_version == item.version
    reasons = set(item.history.values_list("history_change_reason", flat=True))
    assert reasons == {"imported from a.csv"}  # created and filled; nobody's "approved"


def test_missing_country_assessment_is_created_with_all_items(run_import, editor, demo):
    rows = full_country_rows("NZL", 2025)
    report = run_import(csv_bytes(rows), user=editor, dry_run=False, file_name="nzl.csv")
    assert report.ok, report.error_messages
    assessment = CountryAssessment.objects.get(country__code="NZL", cycle__year=2025)
    assert assessment.items.count() == 38
    assert assessment.history.get().history_change_reason == "import nzl.csv"
    assert assessment.items.indicators().exclude(rating="").count() == 36
    citations = Citation.objects.filter(item__country_assessment=assessment)
    assert citations.count() == 36 and not citations.filter(source=None).exists()
    assert citations.first().history.get().history_change_reason == "import nzl.csv"


def test_notes_change_keeps_citations_in_step(run_import, editor, korea_2025):
    rows = [{**korea_2025_rows()[0], "notes": "See [@hrw-2022-south-korea, p. 3] and [@unknown-key]."}]
    report = run_import(csv_bytes(rows), user=editor, dry_run=False, file_name="c.csv")
    assert report.ok
    item = korea_2025.items.get(indicator__code="BC-1")
    assert list(item.citations.values_list("key", "locator")) == [("hrw-2022-south-korea", "p. 3"), ("unknown-key", "")]


def test_duplicate_rows_are_an_error(run_import, editor, korea_2025):
    rows = korea_2025_rows() + [korea_2025_rows()[0]]
    report = run_import(csv_bytes(rows), user=editor, dry_run=True, file_name="d.csv")
    [message] = report.error_messages
    assert message.startswith("Row 5, ") and "row 2 already imports KOR 2025 BC-1" in message


def test_legacy_score_assessment_rejects_indicator_rows(editor, demo):
    rows = [{"country": "KOR", "cycle": 2019, "indicator": "BC-1", "rating": "Fair"}]
    report = import_indicator_assessments(csv_bytes(rows), user=editor, dry_run=True, file_name="l.csv")
    assert "has only a legacy score" in report.error_messages[0]


def test_columns_left_out_are_left_unchanged(editor, korea_2022):
    data = b"country,cycle,indicator,trend\nKOR,2022,BC-1,Increase\n"
    report = import_indicator_assessments(data, user=editor, dry_run=False, file_name="t.csv")
    assert report.ok
    item = korea_2022.items.get(indicator__code="BC-1")
    assert (item.trend, item.rating, item.status) == ("increase", "very_strong", "draft")
    assert item.notes.startswith("South Korean citizens")


def test_both_paths_report_the_same_rows(editor, korea_2025):
    rows = korea_2025_rows() + full_country_rows("NZL", 2025)[:5]
    rows[1]["rating"] = "Nope"
    data = csv_bytes(rows)
    fast = import_indicator_assessments(data, user=editor, dry_run=True, file_name="x.csv")
    default = import_with_default_resource(data, user=editor, dry_run=True, file_name="x.csv")
    assert [(r.number, r.action) for r in fast.rows] == [(r.number, r.action) for r in default.rows]
    assert fast.error_messages == default.error_messages


def test_fast_path_queries_do_not_grow_with_rows(editor, korea_2025, django_assert_max_num_queries):
    for country in ["NZL", "AUS"]:
        data = csv_bytes(full_country_rows(country, 2025))
        with django_assert_max_num_queries(8):
            report = import_indicator_assessments(data, user=editor, dry_run=True, file_name="q.csv")
        assert report.ok
    assert Country.objects.filter(code="NZL").exists()


def test_a_failure_while_writing_rolls_everything_back(editor, korea_2025, monkeypatch):
    from assessments.workflow import content

    def citations_sync_fails(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(content, "citations_sync", citations_sync_fails)
    before = counts()
    report = import_indicator_assessments(
        csv_bytes(full_country_rows("NZL", 2025)), user=editor, dry_run=False, file_name="f.csv"
    )
    assert not report.ok and not report.written
    assert report.file_errors == ["The import failed unexpectedly and nothing was written; the error has been logged."]
    assert counts() == before
