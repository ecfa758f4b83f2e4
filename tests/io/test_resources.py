"""The other resources: round trips with zero changes, natural keys, history, all-or-nothing."""

import pytest

from assessments.io.services import RESOURCES, export_file, import_file
from assessments.models import Assignment, Citation, Country, CountryAssessment, Source
from tests.io.conftest import counts, csv_bytes

OTHER_RESOURCES = [name for name in RESOURCES if name != "indicator-assessments"]


@pytest.mark.parametrize("name", OTHER_RESOURCES)
@pytest.mark.parametrize("format_name", ["csv", "xlsx", "json"])
def test_export_then_reimport_reports_zero_changes(admin, demo, name, format_name):
    data = export_file(name, format_name)
    before = counts()
    report = import_file(name, data, user=admin, dry_run=False, file_name=f"{name}.{format_name}")
    assert report.ok, report.error_messages
    assert report.changed == 0 and report.totals["skip"] == len(report.rows) > 0
    assert counts() == before


def test_new_source_is_recorded_and_resolves_waiting_citations(editor, korea_2025):
    item = korea_2025.items.get(indicator__code="BC-1")
    Citation.objects.create(item=item, position=1, key="new-report-2025")
    columns = ["key", "type", "authors", "title", "issued_year", "url"]
    rows = [
        {
            "key": "new-report-2025",
            "type": "report",
            "authors": '[{"literal": "Amnesty International"}]',
            "title": "A new report",
            "issued_year": "2025",
            "url": "https://example.org/new",
        }
    ]
    report = import_file("sources", csv_bytes(rows, columns), user=editor, dry_run=False, file_name="src.csv")
    assert report.ok and report.totals["new"] == 1, report.error_messages
    source = Source.objects.get(key="new-report-2025")
    assert source.author_text == "Amnesty International"
    record = source.history.get()
    assert (record.history_user, record.history_change_reason) == (editor, "import src.csv")
    assert Citation.objects.get(key="new-report-2025").source == source


def test_source_validation_error_names_row_column_and_value(editor, demo):
    columns = ["key", "title", "issued_month"]
    rows = [{"key": "ok-1", "title": "Fine"}, {"key": "bad-1", "title": "Bad", "issued_month": "13"}]
    before = Source.objects.count()
    report = import_file("sources", csv_bytes(rows, columns), user=editor, dry_run=False, file_name="s.csv")
    assert Source.objects.count() == before
    [message] = report.error_messages
    assert message.startswith('Row 3, column "issued_month", value "13"')


def test_country_assessment_import_creates_items(editor, demo):
    columns = ["country", "cycle", "legacy_score"]
    rows = [{"country": "NZL", "cycle": "2025"}, {"country": "NZL", "cycle": "2022", "legacy_score": "61"}]
    report = import_file("country-assessments", csv_bytes(rows, columns), user=editor, dry_run=False, file_name="c.csv")
    assert report.ok, report.error_messages
    assert CountryAssessment.objects.get(country__code="NZL", cycle__year=2025).items.count() == 38
    assert not CountryAssessment.objects.get(country__code="NZL", cycle__year=2022).items.exists()


def test_unknown_lookup_is_a_plain_row_error(editor, demo):
    columns = ["country", "cycle", "legacy_score"]
    report = import_file(
        "country-assessments",
        csv_bytes([{"country": "QQQ", "cycle": "2025"}], columns),
        user=editor,
        dry_run=False,
        file_name="c.csv",
    )
    [message] = report.error_messages
    assert message == 'Row 2, column "country", value "QQQ": no country has this code'


def test_assignment_import(editor, korea_2025):
    columns = ["country", "cycle", "user", "role"]
    rows = [{"country": "KOR", "cycle": "2025", "user": "editor", "role": "Reviewer"}]
    report = import_file("assignments", csv_bytes(rows, columns), user=editor, dry_run=False, file_name="a.csv")
    assert report.ok and report.totals["new"] == 1, report.error_messages
    assignment = Assignment.objects.get(country_assessment=korea_2025, user=editor)
    assert assignment.role == "reviewer"
    assert assignment.history.get().history_change_reason == "import a.csv"


def test_assignment_to_unknown_user_or_assessment_fails(editor, demo):
    columns = ["country", "cycle", "user", "role"]
    rows = [
        {"country": "KOR", "cycle": "2025", "user": "nobody", "role": "reviewer"},
        {"country": "NZL", "cycle": "2025", "user": "editor", "role": "reviewer"},
    ]
    report = import_file("assignments", csv_bytes(rows, columns), user=editor, dry_run=False, file_name="a.csv")
    assert report.error_messages == [
        'Row 2, column "user", value "nobody": no user has this username',
        'Row 3, column "country", value "NZL": no assessment of this country exists in cycle 2025',
    ]


def test_country_import_updates_by_code(admin, demo):
    rows = [{"code": "nzl", "name": "New Zealand", "name_in_text": "Aotearoa New Zealand", "alpha2": "NZ"}]
    columns = ["code", "alpha2", "name", "name_in_text"]
    report = import_file("countries", csv_bytes(rows, columns), user=admin, dry_run=False, file_name="c.csv")
    assert report.ok and report.totals["update"] == 1, report.error_messages
    assert Country.objects.get(code="NZL").name_in_text == "Aotearoa New Zealand"
