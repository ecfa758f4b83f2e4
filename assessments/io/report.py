"""The row report every import produces (web preview, admin, CLI): per row new/update/skip/error in plain words."""

from collections import Counter
from dataclasses import dataclass, field

from .rows import CellProblem

NEW, UPDATE, SKIP, ERROR = "new", "update", "skip", "error"
ACTIONS = (NEW, UPDATE, SKIP, ERROR)
UNEXPECTED_FAILURE = "The import failed unexpectedly and nothing was written; the error has been logged."


@dataclass
class RowReport:
    number: int  # spreadsheet row number: the header is row 1
    action: str
    label: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[CellProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    diffs: dict = field(default_factory=dict)  # field name → word diff HTML (notes), shown in the web preview

    @property
    def messages(self) -> list[str]:
        return [f"Row {self.number}, {problem}" for problem in self.errors]

    def line(self) -> str:
        text = f"Row {self.number:>5}  {self.action:<6}  {self.label}"
        details = [str(problem) for problem in self.errors] or self.changes
        details = details + [f"warning: {warning}" for warning in self.warnings]
        return text + (f"  — {'; '.join(details)}" if details else "")


@dataclass
class ImportReport:
    resource: str
    file_name: str
    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: bool = False
    seconds: float = 0.0

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(row.action for row in self.rows)
        return {action: counts.get(action, 0) for action in ACTIONS}

    @property
    def changed(self) -> int:
        totals = self.totals
        return totals[NEW] + totals[UPDATE]

    @property
    def shown_rows(self) -> list[RowReport]:
        """What the preview lists row by row: everything but the unchanged rows (collapsed into a count)."""
        return [row for row in self.rows if row.action != SKIP]

    @property
    def unchanged_rows(self) -> list[RowReport]:
        return [row for row in self.rows if row.action == SKIP]

    @property
    def error_rows(self) -> list[RowReport]:
        return [row for row in self.rows if row.action == ERROR]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows

    @property
    def error_messages(self) -> list[str]:
        return list(self.file_errors) + [message for row in self.error_rows for message in row.messages]

    @property
    def rows_per_second(self) -> float:
        return len(self.rows) / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        totals = self.totals
        counts = ", ".join(f"{totals[action]} {action}" for action in ACTIONS)
        if not self.ok:
            outcome = "nothing was written"
        elif self.dry_run:
            outcome = "dry run, nothing was written"
        else:
            outcome = "written" if self.written else "nothing to write"
        return f"{self.file_name}: {len(self.rows)} rows ({counts}); {outcome}."

    def lines(self, *, include_skipped: bool = True) -> list[str]:
        lines = [f"Error: {error}" for error in self.file_errors] + [f"Note: {notice}" for notice in self.notices]
        lines += [row.line() for row in self.rows if include_skipped or row.action != SKIP]
        lines.append(self.summary())
        return lines
