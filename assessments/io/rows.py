"""The indicator-assessment file format: reading one row's cells, and what importing it changes.

Shared by the fast import path (services) and the row-by-row django-import-export resource, so both describe
the same change. The change itself is written by the one content service (assessments.workflow.content), whose
rules the plan mirrors: changed content lands as a draft; an archive import (admins) lands it approved, recorded
as imported. The status column of an export is read and never applied.
"""

from dataclasses import dataclass, field

from assessments.history.diff import diff_counts, word_diff_html
from assessments.limits import NOTES_MAX_CHARS
from assessments.models import ItemStatus, Rating, Trend

COLUMNS = ["country", "cycle", "indicator", "rating", "trend", "notes", "status"]
KEY_COLUMNS = ["country", "cycle", "indicator"]
CONTENT_FIELDS = ["rating", "trend", "notes"]


class CellProblem(ValueError):
    """One bad cell: which column, which value, and what is wrong in plain words."""

    def __init__(self, column: str | None, value, message: str):
        self.column = column
        self.value = value
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.column is None:
            return self.message
        return f'column "{self.column}", value "{display_value(self.value)}": {self.message}'


class RowProblems(ValueError):
    def __init__(self, problems: list[CellProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def display_value(value) -> str:
    text = cell_text(value)
    return text if len(text) <= 80 else text[:77] + "…"


def cell_text(value) -> str:
    """A cell as trimmed text; whole-number floats (2025.0 from a spreadsheet) lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return str(value)
    return str(value).strip()


def is_blank_row(values) -> bool:
    return all(cell_text(value) == "" for value in values)


def normalise_notes(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_country(value) -> str:
    code = cell_text(value).upper()
    if not code:
        raise CellProblem("country", value, "a country code (ISO alpha-3, such as KOR) is required")
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise CellProblem("country", value, "not an ISO alpha-3 country code (three letters, such as KOR)")
    return code


def parse_cycle(value) -> int:
    text = cell_text(value)
    if not text:
        raise CellProblem("cycle", value, "a cycle year (such as 2025) is required")
    if not (text.isdigit() and len(text) == 4):
        raise CellProblem("cycle", value, "not a cycle year (four digits, such as 2025)")
    return int(text)


NARRATIVE_CODES = {"OVERVIEW": "overview", "CONCLUSION": "conclusion"}  # rows for the narrative items


def parse_indicator(value) -> str:
    code = cell_text(value).upper()
    if code in NARRATIVE_CODES:
        return NARRATIVE_CODES[code]
    if not code:
        raise CellProblem("indicator", value, "an indicator code (such as IHR-10) is required")
    if len(code) > 12:
        raise CellProblem("indicator", value, "not an indicator code (letters, a dash and a number, such as IHR-10)")
    return code


def parse_rating(value) -> str:
    text = cell_text(value)
    if not text:
        return ""
    try:
        return Rating.from_label(text).value
    except ValueError:
        raise CellProblem("rating", value, f"not a rating; use one of {', '.join(Rating.labels)}") from None


def parse_trend(value) -> str:
    text = cell_text(value)
    if not text:
        return ""
    try:
        return Trend.from_label(text).value
    except ValueError:
        raise CellProblem("trend", value, f"not a trend; use one of {', '.join(Trend.labels)} or leave empty") from None


def parse_status(value) -> str | None:
    """Any status name is read (an export holds them all); whether it may be set is decided by plan_change."""
    text = " ".join(cell_text(value).replace("_", " ").split()).casefold()
    if not text:
        return None
    for status in ItemStatus:
        if text in (status.value.replace("_", " "), status.label.casefold()):
            return status.value
    raise CellProblem("status", value, "not a status; use draft or approved, or leave empty")


def parse_notes(value) -> str:
    if isinstance(value, dict | list):
        raise CellProblem("notes", "…", "notes must be text")
    notes = normalise_notes("" if value is None else str(value))
    if len(notes) > NOTES_MAX_CHARS:
        raise CellProblem(
            "notes", "…", f"the notes have {len(notes):,} characters; at most {NOTES_MAX_CHARS:,} are accepted"
        )
    return notes


@dataclass
class IndicatorRow:
    """One parsed row; a content field is None when its column is absent from the file (left unchanged)."""

    country: str
    cycle: int
    indicator: str
    rating: str | None = None
    trend: str | None = None
    notes: str | None = None
    status: str | None = None

    @property
    def label(self) -> str:
        return f"{self.country} {self.cycle} {self.indicator}"


PARSERS = {
    "country": parse_country,
    "cycle": parse_cycle,
    "indicator": parse_indicator,
    "rating": parse_rating,
    "trend": parse_trend,
    "notes": parse_notes,
    "status": parse_status,
}


def parse_row(row: dict) -> IndicatorRow:
    """Parse the known columns present in `row`; raise RowProblems listing every bad cell."""
    values, problems = {}, []
    for column, parser in PARSERS.items():
        if column not in row:
            continue
        try:
            values[column] = parser(row[column])
        except CellProblem as problem:
            problems.append(problem)
    if problems:
        raise RowProblems(problems)
    return IndicatorRow(**values)


def row_label(row: dict) -> str:
    return " ".join(cell_text(row.get(column)) for column in KEY_COLUMNS).strip()


@dataclass
class ItemState:
    rating: str = ""
    trend: str = ""
    notes: str = ""
    status: str = ItemStatus.DRAFT

    @classmethod
    def of(cls, item) -> "ItemState":
        return cls(rating=item.rating, trend=item.trend, notes=item.notes, status=item.status)


@dataclass
class Change:
    values: dict = field(default_factory=dict)  # field name → new value
    described: list[str] = field(default_factory=list)
    diffs: dict = field(default_factory=dict)  # field name → word diff (HTML, escaped) for the preview

    def __bool__(self) -> bool:
        return bool(self.values)


def _label_of(field_name: str, value: str) -> str:
    if not value:
        return "(empty)"
    choices = {"rating": Rating, "trend": Trend, "status": ItemStatus}.get(field_name)
    return str(choices(value).label) if choices else value


def plan_change(current: ItemState, row: IndicatorRow, *, user, archive: bool = False) -> Change:
    """What importing `row` changes on an item now in state `current`; raise CellProblem if it may not."""
    change = Change()
    for name in CONTENT_FIELDS:
        new = getattr(row, name)
        if new is None:
            continue
        old = getattr(current, name)
        if name == "notes":
            if normalise_notes(old) == new:
                continue
            change.values[name] = new
            deleted, inserted = diff_counts(normalise_notes(old), new)
            change.described.append(f"notes: {deleted} word{'s' * (deleted != 1)} out, {inserted} in")
            change.diffs["notes"] = word_diff_html(normalise_notes(old), new)
        elif old != new:
            change.values[name] = new
            change.described.append(f"{name}: {_label_of(name, old)} → {_label_of(name, new)}")

    # Review sets statuses, never a file: changed content lands as a draft (an archive import lands it as the
    # approved record of a past cycle). The status column of an export is read and otherwise ignored.
    if change.values:
        status = ItemStatus.APPROVED if archive else ItemStatus.DRAFT
        if status != current.status:
            change.described.append(f"status: {_label_of('status', current.status)} → {_label_of('status', status)}")
    return change
