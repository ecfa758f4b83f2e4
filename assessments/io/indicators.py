"""Fast import of indicator assessments: lookups in a few queries, writes in bulk with history, all or nothing."""

import logging
from dataclasses import dataclass
from time import perf_counter

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from assessments.citations.syntax import extract_citations
from assessments.models import (
    AssessmentItem,
    Country,
    CountryAssessment,
    Cycle,
    Indicator,
    ItemKind,
    Source,
    Trend,
)
from assessments.workflow import permissions
from assessments.workflow.content import ContentChange, WriteKind, content_after, items_content_write
from assessments.workflow.items import country_assessment_create
from assessments.workflow.previous import previous_cycle_items

from .formats import FileError, LoadedFile, read_dataset
from .report import ERROR, NEW, SKIP, UNEXPECTED_FAILURE, UPDATE, ImportReport, RowReport
from .rows import (
    COLUMNS,
    KEY_COLUMNS,
    NARRATIVE_CODES,
    CellProblem,
    Change,
    IndicatorRow,
    ItemState,
    RowProblems,
    is_blank_row,
    parse_row,
    plan_change,
    row_label,
)

logger = logging.getLogger(__name__)

RESOURCE_NAME = "indicator-assessments"


def import_reason(file_name: str, *, archive: bool = False) -> str:
    return f"imported from {file_name}" if archive else f"import {file_name}"


def read_input(file, file_name: str | None = None) -> tuple[bytes, str]:
    """Bytes and a file name from bytes, a path or a file object (an upload)."""
    if isinstance(file, bytes | bytearray):
        return bytes(file), file_name or "upload"
    if hasattr(file, "read"):
        if hasattr(file, "seek"):
            file.seek(0)
        return file.read(), file_name or getattr(file, "name", "upload")
    from pathlib import Path

    path = Path(file)
    return path.read_bytes(), file_name or path.name


@dataclass
class _Plan:
    number: int
    row: IndicatorRow
    country: Country
    cycle: Cycle
    indicator: Indicator | None  # None for the overview or the conclusion (row.indicator names the kind)
    assessment: CountryAssessment | None
    item: AssessmentItem | None
    change: Change


def import_indicator_assessments(
    file, *, user, dry_run: bool, file_name: str | None = None, max_bytes: int | None = None, archive: bool = False
) -> ImportReport:
    """Import an indicator-assessment file (CSV/XLSX/JSON); write nothing unless every row is valid."""
    started = perf_counter()
    data, name = read_input(file, file_name)
    report = ImportReport(resource=RESOURCE_NAME, file_name=name, dry_run=dry_run)
    try:
        loaded = read_dataset(data, name, max_bytes=max_bytes)
    except FileError as error:
        report.file_errors.append(str(error))
    else:
        import_indicator_dataset(loaded, user=user, dry_run=dry_run, report=report, archive=archive)
    report.seconds = perf_counter() - started
    return report


def import_indicator_dataset(
    loaded: LoadedFile, *, user, dry_run: bool, report: ImportReport, archive: bool = False
) -> ImportReport:
    allowed = permissions.can_import_archive(user) if archive else permissions.can_import_content(user)
    if user is None or not allowed:
        what = "archive records" if archive else "indicator assessments"
        report.file_errors.append(f"Only editors and administrators import {what}; name one as the importing user.")
        return report
    headers = loaded.dataset.headers
    missing = [column for column in KEY_COLUMNS if column not in headers]
    if missing:
        report.file_errors.append(
            f"The file has no {', '.join(repr(column) for column in missing)} column; "
            f"an indicator-assessment file has the columns {', '.join(COLUMNS)}."
        )
        return report
    ignored = [header for header in headers if header not in COLUMNS]
    if ignored:
        report.notices.append(f"These columns are not used and were ignored: {', '.join(ignored)}.")
    try:
        with transaction.atomic():
            plans = _plan(loaded, user=user, dry_run=dry_run, report=report, archive=archive)
            if report.ok and not dry_run and plans:
                _write(plans, user=user, reason=import_reason(report.file_name, archive=archive), archive=archive)
                report.written = True
    except (DatabaseError, ValidationError) as error:  # e.g. a concurrent change broke a constraint: all rolled back
        logger.warning("import of %s failed: %s", report.file_name, error)
        report.written = False
        report.file_errors.append(f"The import failed and nothing was written ({type(error).__name__}); try again.")
    except Exception:  # a bug must not leave half a file written or show a traceback: log it, report it
        logger.exception("import of %s failed", report.file_name)
        report.written = False
        report.file_errors.append(UNEXPECTED_FAILURE)
    return report


def _plan(loaded: LoadedFile, *, user, dry_run: bool, report: ImportReport, archive: bool) -> list[_Plan]:
    headers = loaded.dataset.headers
    parsed: list[tuple[int, IndicatorRow]] = []
    for index, values in enumerate(loaded.dataset):
        if is_blank_row(values):
            continue
        raw = dict(zip(headers, values, strict=False))
        number = loaded.row_number(index)
        try:
            parsed.append((number, parse_row(raw)))
        except RowProblems as problems:
            report.rows.append(RowReport(number, ERROR, row_label(raw), errors=problems.problems))

    countries = {c.code: c for c in Country.objects.filter(code__in={row.country for _, row in parsed})}
    cycles = {c.year: c for c in Cycle.objects.filter(year__in={row.cycle for _, row in parsed})}
    codes = {row.indicator for _, row in parsed}
    indicators = {
        (i.cycle_id, i.code): i for i in Indicator.objects.filter(cycle__in=list(cycles.values()), code__in=codes)
    }
    assessments = {
        (a.country_id, a.cycle_id): a
        for a in CountryAssessment.objects.filter(
            country__in=list(countries.values()), cycle__in=list(cycles.values())
        ).select_related("country", "cycle")
    }
    items_query = AssessmentItem.objects.filter(country_assessment__in=list(assessments.values()))
    if not dry_run:
        # Lock the items read, so no concurrent edit slips in between reading and writing them.
        items_query = items_query.order_by("pk").select_for_update(of=("self",))
    items = {
        (item.country_assessment_id, _slot(item)): item
        for item in items_query.select_related("country_assessment__cycle", "indicator")
    }
    previous = previous_cycle_items(items.values())
    known_sources = set(
        Source.objects.filter(
            key__in={ref.key for _, row in parsed if row.notes for ref in extract_citations(row.notes)}
        ).values_list("key", flat=True)
    )

    plans, seen, creates = [], {}, set()
    for number, row in parsed:
        problems = []
        country = countries.get(row.country)
        cycle = cycles.get(row.cycle)
        if country is None:
            problems.append(CellProblem("country", row.country, "no country has this code"))
        if cycle is None:
            problems.append(CellProblem("cycle", row.cycle, "no cycle has this year"))
        narrative = row.indicator in NARRATIVE_CODES.values()
        indicator = indicators.get((cycle.pk, row.indicator)) if cycle and not narrative else None
        if narrative and (row.rating or row.trend):
            problems.append(
                CellProblem("rating", row.rating or row.trend, f"the {row.indicator} has no rating or trend")
            )
        if cycle is not None and indicator is None and not narrative:
            message = f"the {cycle.year} framework has no such indicator"
            problems.append(CellProblem("indicator", row.indicator, message))
        if problems:
            report.rows.append(RowReport(number, ERROR, row.label, errors=problems))
            continue
        slot = row.indicator if narrative else indicator.pk
        key = (country.pk, cycle.pk, slot)
        if key in seen:
            problem = CellProblem("indicator", row.indicator, f"row {seen[key]} already imports {row.label}")
            report.rows.append(RowReport(number, ERROR, row.label, errors=[problem]))
            continue
        seen[key] = number
        assessment = assessments.get((country.pk, cycle.pk))
        item = items.get((assessment.pk, slot)) if assessment else None
        if assessment is not None and item is None:
            message = (
                f"{assessment} has only a legacy score, so its indicators cannot be imported"
                if assessment.legacy_score is not None
                else f"{assessment} has no item for this indicator"
            )
            problem = CellProblem("indicator", row.indicator, message)
            report.rows.append(RowReport(number, ERROR, row.label, errors=[problem]))
            continue
        try:
            change = plan_change(ItemState.of(item) if item else ItemState(), row, user=user, archive=archive)
        except CellProblem as problem:
            report.rows.append(RowReport(number, ERROR, row.label, errors=[problem]))
            continue
        if item is not None and change and item.is_indicator and item.pk in previous and not archive:
            _follow_derived_trend(change, item, row, previous[item.pk])
        action = NEW if item is None else (UPDATE if change else SKIP)
        if assessment is None and (country.pk, cycle.pk) not in creates:
            creates.add((country.pk, cycle.pk))
            change.described.insert(0, f"creates the assessment of {country.name} in {cycle.year}")
        warnings = []
        if "notes" in change.values:
            unknown = sorted({ref.key for ref in extract_citations(row.notes)} - known_sources)
            if unknown:
                warnings.append(f"no source has the key {', '.join('@' + key for key in unknown)} yet")
        report.rows.append(
            RowReport(number, action, row.label, changes=change.described, warnings=warnings, diffs=change.diffs)
        )
        plans.append(_Plan(number, row, country, cycle, indicator, assessment, item, change))
    report.rows.sort(key=lambda row: row.number)
    return plans


def _slot(item: AssessmentItem):
    """An item's place in its assessment: its indicator's pk, or "overview"/"conclusion"."""
    return item.indicator_id if item.kind == ItemKind.INDICATOR else item.kind


def _write(plans: list[_Plan], *, user, reason: str, archive: bool) -> None:
    """Create missing country assessments (with all their items), then write the changed content through the one
    content service: drafts for an import, the approved record for an archive import."""
    created = {}
    for plan in plans:
        if plan.assessment is None and (plan.country.pk, plan.cycle.pk) not in created:
            created[plan.country.pk, plan.cycle.pk] = country_assessment_create(
                country=plan.country, cycle=plan.cycle, user=user, reason=reason
            )
    new_items = {}
    if created:
        new_items = {
            (item.country_assessment_id, _slot(item)): item
            for item in AssessmentItem.objects.filter(country_assessment__in=list(created.values()))
        }
    changes = []
    for plan in plans:
        if not plan.change:
            continue
        item = plan.item
        if item is None:
            assessment = created[plan.country.pk, plan.cycle.pk]
            item = new_items[assessment.pk, plan.indicator.pk if plan.indicator else plan.row.indicator]
        changes.append(ContentChange(item=item, values=dict(plan.change.values)))
    if changes:
        items_content_write(
            changes=changes, user=user, reason=reason, kind=WriteKind.ARCHIVE if archive else WriteKind.IMPORT
        )


def _follow_derived_trend(change, item: AssessmentItem, row: IndicatorRow, previous) -> None:
    """Plan what the write path will store: a trend that follows from the ratings wins over the file's, so a file
    whose only difference is such a trend changes nothing (a skipped row), and the preview says which trend is kept."""
    after = content_after(item, dict(change.values), previous)
    wanted = row.trend if row.trend is not None else item.trend
    if "trend" in change.values and after["trend"] == item.trend:
        del change.values["trend"]
        change.described = [line for line in change.described if not line.startswith("trend:")]
        if not change:
            change.described = []  # nothing left to write: no status change either
    if change and after["trend"] != wanted and after["trend"] != item.trend:
        label = Trend(after["trend"]).label if after["trend"] else "(empty)"
        change.described.append(f"trend: {label} (follows from the {previous.year} rating)")
