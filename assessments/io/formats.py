"""File formats for import and export: CSV, XLSX and JSON, read safely and written without formula injection.

Reading never raises anything but `FileError`, whose message is meant for the person who uploaded the file.
Spreadsheet cells that would start a formula (= + - @ tab CR) are written with a leading apostrophe and the
apostrophe is removed again on import, so such text survives a round trip as literal text.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import tablib
from django.conf import settings
from import_export.formats import base_formats

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
XLSX_MAX_ENTRIES = 1000

# A cell is escaped when it starts (after any apostrophes already there) with a character that makes a
# spreadsheet treat it as a formula. Escaping adds one apostrophe; unescaping removes one, so it is lossless.
_NEEDS_ESCAPE = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


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
        return _map_cells(_drop_trailing_blank_rows(dataset), unescape_formula)


class XLSX(SpreadsheetEscapeMixin, base_formats.XLSX):
    def create_dataset(self, in_stream):
        check_xlsx_archive(in_stream)
        try:
            dataset = super().create_dataset(in_stream)
        except StopIteration as error:
            raise FileError("The workbook's first sheet is empty.") from error
        except Exception as error:  # openpyxl raises many kinds of errors on damaged files
            raise FileError(f"The file could not be read as an XLSX workbook: {_plain(error)}") from error
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
        import json

        try:
            data = json.loads(in_stream)
        except ValueError as error:
            raise FileError(f"The file is not valid JSON: {_plain(error)}") from error
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise FileError("The JSON file must hold a list of objects, one per row.")
        if not data:
            raise FileError("The file holds no rows.")
        headers: list[str] = []
        for row in data:
            headers.extend(key for key in row if key not in headers)
        dataset = tablib.Dataset(headers=headers)
        for row in data:
            dataset.append([row.get(header) for header in headers])
        return dataset


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
