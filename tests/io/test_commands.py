"""import_data / export_data management commands."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from assessments.citations.render import render_annex
from assessments.models import CountryAssessment
from tests.io.conftest import counts, csv_bytes, full_country_rows


def test_cli_imports_a_new_country_then_exports_its_annex_draft(demo, tmp_path):
    path = tmp_path / "nzl-2025.csv"
    path.write_bytes(csv_bytes(full_country_rows("NZL", 2025)))
    out = io.StringIO()
    call_command("import_data", str(path), "--resource", "indicator-assessments", "--user", "editor", stdout=out)
    text = out.getvalue()
    assert "Row     2  new     NZL 2025 BC-1" in text
    assert "nzl-2025.csv: 36 rows (36 new, 0 update, 0 skip, 0 error); written." in text

    assessment = CountryAssessment.objects.get(country__code="NZL", cycle__year=2025)
    assert assessment.items.indicators().exclude(rating="").count() == 36
    annex = render_annex(list(assessment.items.in_reading_order()))
    assert (
        len(annex.notes) == 38
        and "Notes on BC-1 for NZL" in annex.notes[assessment.items.get(indicator__code="BC-1").pk].html
    )

    output = tmp_path / "export.csv"
    call_command(
        "export_data",
        "--resource",
        "indicator-assessments",
        "--format",
        "csv",
        "--output",
        str(output),
        "--cycle",
        "2025",
        "--country",
        "NZL",
        stdout=io.StringIO(),
    )
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert len(rows) == 36 and {row["status"] for row in rows} == {"draft"}
    assert rows[0] == {
        "country": "NZL",
        "cycle": "2025",
        "indicator": "BC-1",
        "rating": "Very Strong",
        "trend": "New",
        "notes": "Notes on BC-1 for NZL [@hrw-2022-south-korea, p. 1].",
        "status": "draft",
    }


def test_cli_fails_with_non_zero_status_and_writes_nothing(demo, tmp_path):
    rows = full_country_rows("NZL", 2025)
    rows[10]["indicator"] = "NOPE-1"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 rows failed"):
        call_command("import_data", str(path), "--resource", "indicator-assessments", "--user", "editor", stdout=out)
    assert counts() == before
    line = next(line for line in out.getvalue().splitlines() if "error" in line)
    assert line.startswith("Row    12  error   NZL 2025 NOPE-1")
    assert line.endswith('column "indicator", value "NOPE-1": the 2025 framework has no such indicator')

    quiet = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data", str(path), "--resource", "indicator-assessments", "--user", "editor", "-v", "0", stdout=quiet
        )
    assert quiet.getvalue() == (
        'Row 12, column "indicator", value "NOPE-1": the 2025 framework has no such indicator\n'
    )


def test_cli_dry_run_writes_nothing(demo, tmp_path):
    path = tmp_path / "nzl.json"
    call_command(
        "export_data", "--resource", "countries", "--format", "json", "--output", str(path), stdout=io.StringIO()
    )
    before = counts()
    out = io.StringIO()
    call_command("import_data", str(path), "--resource", "countries", "--dry-run", "-v", "2", stdout=out)
    assert counts() == before
    assert "249 skip" in out.getvalue() and "dry run, nothing was written" in out.getvalue()


def test_cli_reports_unreadable_file(demo, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", str(path), "--resource", "indicator-assessments", "--user", "editor", stdout=out)
    assert "Error: The file is not a valid XLSX workbook" in out.getvalue()


def test_cli_unknown_user(demo, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"country,cycle,indicator\n")
    with pytest.raises(CommandError, match="no user is called 'ghost'"):
        call_command("import_data", str(path), "--resource", "indicator-assessments", "--user", "ghost")
