"""Reading files safely (sizes, zip bombs, damaged files) and writing them without formula injection."""

import csv
import io
import zipfile

import openpyxl
import pytest

from assessments.io.formats import FileError, escape_formula, read_dataset, unescape_formula
from assessments.io.services import export_file, import_file, import_indicator_assessments
from assessments.models import Source
from tests.factories import SourceFactory
from tests.io.conftest import counts

PAYLOADS = ['=HYPERLINK("http://evil","x")', "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "'=quoted", "''-x"]


@pytest.mark.parametrize("text", [*PAYLOADS, "plain", "", "a=b", "-", None, 42])
def test_escape_then_unescape_is_lossless(text):
    escaped = escape_formula(text)
    if isinstance(text, str) and text[:1] in "=+-@\t\r" and text:
        assert escaped.startswith("'")
    assert unescape_formula(escaped) == text


@pytest.mark.parametrize("format_name", ["csv", "xlsx"])
def test_formula_payloads_are_exported_escaped_and_come_back_as_literal_text(admin, format_name):
    for index, payload in enumerate(PAYLOADS):
        SourceFactory(key=f"payload-{index}", title=payload)
    data = export_file("sources", format_name)
    if format_name == "csv":
        cells = [row["title"] for row in csv.DictReader(io.StringIO(data.decode()))]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        column = [cell.value for cell in sheet[1]].index("title")
        cells = [row[column].value for row in sheet.iter_rows(min_row=2)]
        assert all(row[column].data_type != "f" for row in sheet.iter_rows(min_row=2))
    escaped = [cell for cell in cells if cell and cell.startswith("'")]
    assert len(escaped) == len(PAYLOADS)
    assert not any(cell and cell[0] in "=+-@\t\r" for cell in cells)

    Source.objects.filter(key__startswith="payload-").update(title="changed")
    report = import_file("sources", data, user=admin, dry_run=False, file_name=f"sources.{format_name}")
    assert report.ok, report.error_messages
    titles = dict(Source.objects.filter(key__startswith="payload-").values_list("key", "title"))
    assert titles == {f"payload-{index}": payload for index, payload in enumerate(PAYLOADS)}


def test_formula_in_notes_round_trips_through_xlsx(admin, korea_2025):
    item = korea_2025.items.get(indicator__code="BC-1")
    item.notes = '=HYPERLINK("http://evil","click")'
    item.save()
    data = export_file("indicator-assessments", "xlsx", cycle=2025)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["F2"].value == "'" + item.notes and sheet["F2"].data_type == "s"
    report = import_indicator_assessments(data, user=admin, dry_run=True, file_name="x.xlsx")
    assert report.totals["skip"] == 36, report.lines()


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_zip_bomb_is_refused_before_parsing(settings):
    settings.R2P_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 20 * 1024
    with pytest.raises(FileError, match="would expand to 5 MB; at most 1 MB"):
        read_dataset(data, "bomb.xlsx")


def test_xlsx_with_too_many_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index in range(1001):
            archive.writestr(f"xl/worksheets/sheet{index}.xml", "")
    with pytest.raises(FileError, match="1001 parts"):
        read_dataset(out.getvalue(), "many.xlsx")


def test_oversized_file_is_refused(settings):
    settings.R2P_IMPORT_MAX_BYTES = 100
    with pytest.raises(FileError, match="at most 0 MB|at most"):
        read_dataset(b"country\n" + b"KOR\n" * 100, "big.csv")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "empty"),
        (b"\xff\xfe\x00garbage", "x.csv", "not UTF-8"),
        (b"a,b\n1,2,3\n", "x.csv", "as many cells"),
        (b"a,b\x00\n", "x.csv", "NUL"),
        (b"not a zip", "x.xlsx", "not a valid XLSX"),
        (b"{", "x.json", "not valid JSON"),
        (b'{"a": 1}', "x.json", "list of objects"),
        (b"a,b", "x.txt", "cannot be imported"),
        (b",\n1\n", "x.csv", "no header row"),
        (b"a,A\n1,2\n", "x.csv", "more than once"),
    ],
)
def test_malformed_files_give_a_clear_error(data, name, message):
    with pytest.raises(FileError, match=message):
        read_dataset(data, name)


def test_xlsx_rows_read_with_numbers_and_blank_lines(editor, korea_2025):
    data = xlsx_bytes(
        [
            ["Country", "Cycle", "Indicator", "Rating"],
            ["KOR", 2025, "BC-1", "Strong"],
            [None, None, None, None],
            ["kor", 2025.0, "bc-2", "fair"],
        ]
    )
    report = import_indicator_assessments(data, user=editor, dry_run=False, file_name="k.xlsx")
    assert report.ok, report.error_messages
    assert [row.number for row in report.rows] == [2, 4]
    assert korea_2025.items.get(indicator__code="BC-2").rating == "fair"


def test_malformed_file_writes_nothing(editor, korea_2025):
    before = counts()
    report = import_indicator_assessments(b"\x00\x01", user=editor, dry_run=False, file_name="x.xlsx")
    assert report.file_errors and not report.ok
    assert counts() == before
