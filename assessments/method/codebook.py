"""The codebook: per indicator of a cycle, the question it answers and what each level of the scale means.

Editors edit it per cycle (with history); it is exported and imported as CSV alongside the framework, copied
to a new cycle with the framework, shown in the item editor and published on the methodology page."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from assessments.models import Cycle, Indicator, Rating
from assessments.workflow import permissions

from .models import LEVEL_FIELDS, IndicatorGuidance

GUIDANCE_FIELDS = ("question", *LEVEL_FIELDS)
CODEBOOK_COLUMNS = ["code", "title", *GUIDANCE_FIELDS]


@dataclass(frozen=True)
class CodebookEntry:
    indicator: Indicator
    guidance: IndicatorGuidance | None

    @property
    def question(self) -> str:
        return self.guidance.question if self.guidance else ""

    @property
    def levels(self) -> list[tuple[Rating, str]]:
        if self.guidance is None:
            return [(rating, "") for rating in Rating.strongest_first()]
        return self.guidance.levels

    @property
    def is_empty(self) -> bool:
        return self.guidance is None or self.guidance.is_empty


def codebook_for(cycle: Cycle) -> list[CodebookEntry]:
    """Every indicator of the cycle with its guidance, in framework order (one query)."""
    indicators = Indicator.objects.for_cycle(cycle).select_related("guidance")
    return [CodebookEntry(indicator=indicator, guidance=_guidance_of(indicator)) for indicator in indicators]


def _guidance_of(indicator: Indicator) -> IndicatorGuidance | None:
    try:
        return indicator.guidance
    except IndicatorGuidance.DoesNotExist:
        return None


def codebook_rows(cycle: Cycle) -> list[dict[str, str]]:
    return [
        {
            "code": entry.indicator.code,
            "title": entry.indicator.title,
            **{name: getattr(entry.guidance, name) if entry.guidance else "" for name in GUIDANCE_FIELDS},
        }
        for entry in codebook_for(cycle)
    ]


def codebook_csv(cycle: Cycle) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CODEBOOK_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in codebook_rows(cycle):
        writer.writerow({key: _csv_safe(value) for key, value in row.items()})
    return buffer.getvalue()


def _csv_safe(value: str) -> str:
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def codebook_document(cycle: Cycle) -> dict:
    """The codebook as published in the open data and on the methodology page."""
    return {
        "cycle": cycle.year,
        "coverage_period": {
            "start": cycle.coverage_start.isoformat() if cycle.coverage_start else None,
            "end": cycle.coverage_end.isoformat() if cycle.coverage_end else None,
        },
        "scale": [rating.label for rating in Rating.strongest_first()],
        "indicators": [
            {
                "code": entry.indicator.code,
                "thematic_area": entry.indicator.thematic_area.name,
                "title": entry.indicator.title,
                "question": entry.question,
                "levels": {rating.label: text for rating, text in entry.levels},
            }
            for entry in codebook_for(cycle)
        ],
    }


def read_codebook_csv(content: bytes) -> list[dict[str, str]]:
    """Rows of an uploaded codebook CSV; a ValidationError names what is wrong with the file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The file is not UTF-8 text.") from error
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "question"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationError(f"The file has no {', '.join(sorted(missing))} column; use the exported codebook.")
    return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]


def _clean(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in ("=", "+", "-", "@") else value


def _write(guidance: IndicatorGuidance, *, user, reason: str) -> None:
    guidance.full_clean()
    guidance._history_user = user
    guidance._change_reason = reason[:100]
    guidance.save()


def _require_editor(user) -> None:
    if user is not None and not permissions.is_editor(user):
        raise PermissionDenied("Only editors edit the codebook.")


@transaction.atomic
def guidance_update(*, indicator: Indicator, user, reason: str = "codebook edited", **fields) -> IndicatorGuidance:
    """Set an indicator's guidance (question and level texts); history records who and why."""
    _require_editor(user)
    unknown = set(fields) - set(GUIDANCE_FIELDS)
    if unknown:
        raise ValueError(f"not guidance fields: {', '.join(sorted(unknown))}")
    guidance = IndicatorGuidance.objects.select_for_update().filter(indicator=indicator).first()
    guidance = guidance or IndicatorGuidance(indicator=indicator)
    changed = [name for name, value in fields.items() if getattr(guidance, name) != value]
    if guidance.pk and not changed:
        return guidance
    for name in changed:
        setattr(guidance, name, fields[name])
    _write(guidance, user=user, reason=reason)
    return guidance


@transaction.atomic
def codebook_import(*, cycle: Cycle, rows: list[dict[str, str]], user, reason: str = "codebook imported") -> int:
    """Set the guidance of the cycle's indicators from rows (code, question, level columns); all or nothing.

    Columns absent from the rows are left as they are; returns how many indicators changed."""
    _require_editor(user)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.for_cycle(cycle)}
    unknown = sorted({row.get("code", "").upper() for row in rows} - set(indicators))
    if unknown:
        raise ValidationError(f"Not indicators of {cycle.year}: {', '.join(code or '(empty)' for code in unknown)}")
    existing = {g.indicator_id: g for g in IndicatorGuidance.objects.filter(indicator__cycle=cycle)}
    changed = 0
    for row in rows:
        indicator = indicators[row["code"].upper()]
        guidance = existing.get(indicator.pk) or IndicatorGuidance(indicator=indicator)
        fields = {name: _clean(row[name]) for name in GUIDANCE_FIELDS if name in row}
        if guidance.pk and all(getattr(guidance, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(guidance, name, value)
        _write(guidance, user=user, reason=reason)
        changed += 1
    return changed


def codebook_copy(*, source: Cycle | None, target: Cycle, user=None) -> int:
    """Copy the guidance of `source`'s indicators to the indicators of `target` with the same code."""
    if source is None or IndicatorGuidance.objects.filter(indicator__cycle=target).exists():
        return 0
    rows = [row for row in codebook_rows(source) if any(row[name] for name in GUIDANCE_FIELDS)]
    targets = set(Indicator.objects.filter(cycle=target).values_list("code", flat=True))
    rows = [row for row in rows if row["code"] in targets]
    if not rows:
        return 0
    return codebook_import(cycle=target, rows=rows, user=user, reason=f"copied from the {source.year} codebook")


@transaction.atomic
def cycle_coverage_update(*, cycle: Cycle, user, start, end) -> Cycle:
    """Set the cycle's coverage period (both dates, or neither)."""
    _require_editor(user)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if (start is None) != (end is None):
        raise ValidationError("Give both the first and the last day of the coverage period, or neither.")
    if start and end and start > end:
        raise ValidationError("The coverage period must start before it ends.")
    cycle.coverage_start, cycle.coverage_end = start, end
    cycle.full_clean()
    cycle.save(update_fields=["coverage_start", "coverage_end"])
    return cycle


def methodology_for_year(year: int) -> dict | None:
    """The published methodology (scale, coverage period, codebook) of a cycle, for the open data (two queries)."""
    cycle = Cycle.objects.filter(year=year).first()
    return codebook_document(cycle) if cycle else None
