"""File formats for import and export: CSV, XLSX and JSON, read safely and written without formula injection.

Reading never raises anything but `FileError`, whose message is meant for the person who uploaded the file.
Spreadsheet cells that would start a formula (= + - @ tab CR) are written with a leading apostrophe and the
apostrophe is removed again on import, so such text survives a round trip as literal text.
"""

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import tablib
from django.conf import settings
from import_export.formats import base_formats

from assessments.limits import IMPORT_MAX_CELLS, IMPORT_MAX_COLUMNS, IMPORT_MAX_ROWS, JSON_MAX_DEPTH

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
XLSX_MAX_ENTRIES = 1000

# A cell is escaped when it starts (after any apostrophes already there) with a character that makes a
# spreadsheet treat it as a formula. Escaping adds one apostrophe; unescaping removes one, so it is lossless.
_NEEDS_ESCAPE = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
# Strings (skipped whole, escapes included) and the brackets that nest; json_depth scans for these only.
_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')


class FileError(Exception):
    """A file that cannot be imported; the message says why in plain words."""


def escape_formula(value):
    if isinstance(value, str) and _NEEDS_ESCAPE.match(value):
        return "'" + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def max_upload_bytes() -> int:
    return getattr(settings, "R2P_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_uncompressed_bytes() -> int:
    return getattr(settings, "R2P_IMPORT_MAX_UNCOMPRESSED_BYTES", 20 * max_upload_bytes())


def _map_cells(dataset: tablib.Dataset, function) -> tablib.Dataset:
    headers = dataset.headers
    rows = [tuple(function(cell) for cell in row) for row in dataset]
    result = tablib.Dataset(headers=headers)
    result.extend(rows)
    return result


def check_xlsx_archive(data: bytes, *, max_uncompressed: int | None = None) -> None:
    """Refuse an XLSX whose zip would expand too far (a zip bomb) before openpyxl opens it."""
    limit = max_uncompressed or max_uncompressed_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise FileError("The file is not a valid XLSX workbook (it is not a readable zip archive).") from error
    if len(entries) > XLSX_MAX_ENTRIES:
        raise FileError(f"The XLSX workbook has {len(entries)} parts; at most {XLSX_MAX_ENTRIES} are accepted.")
    total = sum(entry.file_size for entry in entries)
    if total > limit:
        raise FileError(
            f"The XLSX workbook would expand to {total // (1024 * 1024)} MB; at most {limit // (1024 * 1024)} MB "
            "is accepted. Split it into smaller files."
        )
    if not any(entry.filename.startswith("xl/worksheets/") for entry in entries):
        raise FileError("The file is not a valid XLSX workbook (it has no worksheet).")


def _drop_trailing_blank_rows(dataset: tablib.Dataset) -> tablib.Dataset:
    """Spreadsheets often report formatted but empty rows at the end; interior blank rows keep row numbers."""
    while len(dataset) and all(cell in (None, "") for cell in dataset[-1]):
        del dataset[-1]
    return dataset


class SpreadsheetEscapeMixin:
    """Escape formulas on export and unescape them on import (CSV and XLSX)."""

    def _escape_formulae(self, dataset):
        pass  # export_data below escapes a copy, with the wider rule and without turning cells into text

    def export_data(self, dataset, **kwargs):
        # import-export only strips a leading "="; escape on a copy with the wider rule regardless of settings.
        return base_formats.TablibFormat.export_data(self, _map_cells(dataset, escape_formula), **kwargs)


class CSV(SpreadsheetEscapeMixin, base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode(self.encoding or "utf-8-sig")
            except UnicodeDecodeError as error:
                raise FileError(
                    f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). "
                    "Save it as 'CSV UTF-8' and upload it again."
                ) from error
        if in_stream.startswith("\ufeff"):
            in_stream = in_stream[1:]
        if "\x00" in in_stream:
            raise FileError("The file contains NUL characters; it is not a CSV text file.")
        if not in_stream.strip():
            raise FileError("The file is empty.")
        try:
            dataset = tablib.import_set(in_stream, format="csv", **kwargs)
        except tablib.InvalidDimensions as error:
            raise FileError(
                "The rows of the CSV file do not all have as many cells as the header row has columns."
            ) from error
        except Exception as error:  # csv.Error and tablib errors: say what, never how
            raise FileError(f"The file could not be read as CSV: {_plain(error)}") from error
        check_shape(len(dataset), dataset.width, len(dataset) * dataset.width)
        return _map_cells(_drop_trailing_blank_rows(dataset), unescape_formula)


def check_shape(rows: int, columns: int, cells: int) -> None:
    """Refuse a file with more rows, columns or cells than `assessments.limits` accepts."""
    if rows > IMPORT_MAX_ROWS:
        raise FileError(f"The file has more than {IMPORT_MAX_ROWS:,} rows; split it into smaller files.")
    if columns > IMPORT_MAX_COLUMNS:
        raise FileError(f"The file has {columns:,} columns; at most {IMPORT_MAX_COLUMNS} are accepted.")
    if cells > IMPORT_MAX_CELLS:
        raise FileError(f"The file has more than {IMPORT_MAX_CELLS:,} cells; split it into smaller files.")


def _trim_row(values) -> list:
    """A row's cells without the empty ones at its end."""
    values = list(values)
    while values and values[-1] in (None, ""):
        values.pop()
    return values


def read_xlsx_rows(data: bytes) -> list[list]:
    """The first sheet's rows as read from its cells, never from the size the sheet declares.

    openpyxl's read-only mode pads every row to the declared dimension (A1:XFD1048576 is 17 billion cells);
    `reset_dimensions()` makes it yield only the rows and cells the file holds. Rows, columns and cells are
    counted as they are read (gaps between filled rows and cells count too) and the read stops at a limit.
    """
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows: list[list] = []
        cells = 0
        for values in sheet.iter_rows(values_only=True):
            row = _trim_row(values)
            cells += max(len(row), 1)
            check_shape(len(rows), len(row), cells)
            rows.append(row)
            if len(rows) > IMPORT_MAX_ROWS + 1:  # the header and one row too many
                check_shape(len(rows) - 1, 0, 0)
        return rows
    finally:
        workbook.close()


class XLSX(SpreadsheetEscapeMixin, base_formats.XLSX):
    def create_dataset(self, in_stream):
        check_xlsx_archive(in_stream)
        try:
            rows = read_xlsx_rows(in_stream)
        except FileError:
            raise
        except Exception as error:  # openpyxl raises many kinds of errors on damaged files
            raise FileError(f"The file could not be read as an XLSX workbook: {_plain(error)}") from error
        while rows and not rows[-1]:
            rows.pop()
        if not rows:
            raise FileError("The workbook's first sheet is empty.")
        headers = rows[0]
        width = max(len(row) for row in rows)
        headers = headers + [None] * (width - len(headers))
        dataset = tablib.Dataset(headers=headers)
        for row in rows[1:]:
            dataset.append(row + [None] * (width - len(row)))
        return _map_cells(_drop_trailing_blank_rows(dataset), unescape_formula)

    def export_data(self, dataset, **kwargs):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        def clean(cell):
            cell = escape_formula(cell)
            return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", cell) if isinstance(cell, str) else cell

        return base_formats.TablibFormat.export_data(self, _map_cells(dataset, clean), **kwargs)


class JSON(base_formats.JSON):
    """A list of objects, one per row. Not a spreadsheet format, so cells are written and read as they are."""

    def _escape_formulae(self, dataset):
        pass

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise FileError("The file is not UTF-8 text.") from error
        data = load_json(in_stream)
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise FileError("The JSON file must hold a list of objects, one per row.")
        if not data:
            raise FileError("The file holds no rows.")
        names: dict[str, None] = {}  # the columns in order of appearance (a dict: linear in the number of keys)
        cells = 0
        for row in data:
            names.update(dict.fromkeys(row))
            cells += len(row)
            check_shape(len(data), len(names), cells)
        headers = list(names)
        dataset = tablib.Dataset(headers=headers)
        for row in data:
            dataset.append([row.get(header) for header in headers])
        return dataset


def json_depth(text: str, limit: int = JSON_MAX_DEPTH) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings not counted), in one pass;
    raises FileError as soon as the nesting passes `limit`."""
    depth = deepest = 0
    for match in _JSON_STRUCTURE.finditer(text):
        char = match.group()
        if char == "[" or char == "{":
            depth += 1
            if depth > limit:
                raise FileError(f"The JSON nests more than {limit} levels deep; rows need two (a list of objects).")
            deepest = max(deepest, depth)
        elif char == "]" or char == "}":
            depth -= 1
    return deepest


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")  # json.loads accepts NaN and Infinity; databases do not


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def load_json(text: str, *, max_depth: int = JSON_MAX_DEPTH):
    """Parse JSON text after checking its nesting; the standard parser is linear in the text's length."""
    json_depth(text, max_depth)
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as error:
        raise FileError(f"The file is not valid JSON: {_plain(error)}") from error


FORMATS = {"csv": CSV, "xlsx": XLSX, "json": JSON}
ADMIN_FORMATS = [CSV, XLSX, JSON]


def format_for_name(file_name: str):
    extension = PurePath(file_name or "").suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise FileError(
            f"Files ending in '.{extension}' cannot be imported; use .csv, .xlsx or .json."
            if extension
            else "The file name has no extension; use .csv, .xlsx or .json."
        )
    return FORMATS[extension]()


def _plain(error: Exception) -> str:
    text = " ".join(str(error).split())[:200]
    return text or type(error).__name__


def normalise_header(header) -> str:
    return "_".join(str(header if header is not None else "").strip().lower().split())


def normalise_headers(dataset: tablib.Dataset) -> None:
    """Column names in lower case with underscores ("Country Code" → country_code); each named once."""
    headers = [normalise_header(header) for header in (dataset.headers or [])]
    if not any(headers):
        raise FileError("The file has no header row; its first row must name the columns.")
    duplicates = sorted({header for header in headers if header and headers.count(header) > 1})
    if duplicates:
        raise FileError(f"The header row names these columns more than once: {', '.join(duplicates)}.")
    dataset.headers = headers


@dataclass
class LoadedFile:
    """A file read into rows. Row numbers count the header as row 1, as a spreadsheet shows them."""

    dataset: tablib.Dataset
    file_name: str
    format_name: str

    @staticmethod
    def row_number(index: int) -> int:
        return index + 2


def read_dataset(data: bytes, file_name: str, *, max_bytes: int | None = None) -> LoadedFile:
    """Read uploaded bytes into a dataset with normalised headers; raise FileError with a plain message."""
    limit = max_bytes or max_upload_bytes()
    if len(data) > limit:
        raise FileError(
            f"The file is {len(data) / (1024 * 1024):.1f} MB; at most {limit / (1024 * 1024):.0f} MB is accepted."
        )
    if not data:
        raise FileError("The file is empty.")
    file_format = format_for_name(file_name)
    try:
        dataset = file_format.create_dataset(data)
    except FileError:
        raise
    except Exception as error:  # anything a parser library may raise on a damaged file
        raise FileError(f"The file could not be read: {_plain(error)}") from error
    normalise_headers(dataset)
    return LoadedFile(dataset=dataset, file_name=PurePath(file_name).name, format_name=type(file_format).__name__)
