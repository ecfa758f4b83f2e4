"""Import and export services used by the web pages, the admin and the management commands.

- `import_file(name, file, user=..., dry_run=...)`: any resource; indicator assessments take the bulk path.
- `import_indicator_assessments(...)`: the bulk path (a few queries for lookups, bulk writes with history).
- `import_with_default_resource(...)`: the same file through django-import-export's row-by-row path (benchmark).
- `export_file(name, format_name, ...)`: bytes of a CSV, XLSX or JSON export, formulas escaped.
- `can_import(user, name)` / `can_export(user, name)`: editors and admins, with import-export's permission codes.
"""

import logging
from time import perf_counter

from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from assessments.models import CountryAssessment
from assessments.workflow.permissions import is_editor

from .formats import FORMATS, FileError, LoadedFile, read_dataset
from .indicators import RESOURCE_NAME as INDICATOR_ASSESSMENTS
from .indicators import import_indicator_assessments, import_reason, read_input
from .report import ERROR, UNEXPECTED_FAILURE, ImportReport, RowReport
from .resources import RESOURCES, IndicatorAssessmentResource, R2PResource
from .rows import CellProblem, cell_text, is_blank_row

logger = logging.getLogger(__name__)

__all__ = [
    "INDICATOR_ASSESSMENTS",
    "RESOURCES",
    "can_export",
    "can_import",
    "export_file",
    "import_file",
    "import_indicator_assessments",
    "import_reason",
    "import_with_default_resource",
]


# Permissions -----------------------------------------------------------------------------------------------


def _permission(name: str, code: str) -> str:
    model = RESOURCES[name]._meta.model
    if name == INDICATOR_ASSESSMENTS:
        # Importing indicator assessments creates country assessments and drafts their items: it needs the
        # right to add country assessments (editors have it), not the admin's raw "add item" right.
        model = CountryAssessment
    return f"{model._meta.app_label}.{get_permission_codename(code, model._meta)}"


def import_permission(name: str) -> str:
    return _permission(name, getattr(settings, "IMPORT_EXPORT_IMPORT_PERMISSION_CODE", None) or "add")


def export_permission(name: str) -> str:
    return _permission(name, getattr(settings, "IMPORT_EXPORT_EXPORT_PERMISSION_CODE", None) or "view")


def is_data_editor(user) -> bool:
    """Editors and admins exchange data (one query per request: accounts keeps the user's groups)."""
    return bool(getattr(user, "is_authenticated", False) and is_editor(user))


def can_import(user, name: str) -> bool:
    return name in RESOURCES and is_data_editor(user) and user.has_perm(import_permission(name))


def can_export(user, name: str) -> bool:
    return name in RESOURCES and is_data_editor(user) and user.has_perm(export_permission(name))


def importable(user) -> list[type[R2PResource]]:
    return [resource for name, resource in RESOURCES.items() if can_import(user, name)]


def exportable(user) -> list[type[R2PResource]]:
    return [resource for name, resource in RESOURCES.items() if can_export(user, name)]


# Import ----------------------------------------------------------------------------------------------------


def import_file(
    name: str,
    file,
    *,
    user,
    dry_run: bool,
    file_name: str | None = None,
    max_bytes: int | None = None,
    archive: bool = False,
) -> ImportReport:
    """Import a file into resource `name`; nothing is written if any row fails or if `dry_run`.

    `archive` (indicator assessments, admins only) brings in the published record of a past cycle: content lands
    approved and the history says "imported from <file>", not that anyone approved it."""
    if name == INDICATOR_ASSESSMENTS:
        return import_indicator_assessments(
            file, user=user, dry_run=dry_run, file_name=file_name, max_bytes=max_bytes, archive=archive
        )
    if archive:
        report = ImportReport(resource=name, file_name=file_name or "file", dry_run=dry_run)
        report.file_errors.append("Only indicator-assessment files can be imported as archive records.")
        return report
    return import_with_resource(
        RESOURCES[name](), file, user=user, dry_run=dry_run, file_name=file_name, max_bytes=max_bytes
    )


def import_with_default_resource(
    file, *, user, dry_run: bool, file_name: str | None = None, max_bytes: int | None = None
) -> ImportReport:
    """Indicator assessments through django-import-export's row-by-row path (same rules, for comparison)."""
    return import_with_resource(
        IndicatorAssessmentResource(), file, user=user, dry_run=dry_run, file_name=file_name, max_bytes=max_bytes
    )


def import_with_resource(
    resource: R2PResource, file, *, user, dry_run: bool, file_name: str | None = None, max_bytes: int | None = None
) -> ImportReport:
    started = perf_counter()
    data, name = read_input(file, file_name)
    report = ImportReport(resource=resource.name, file_name=name, dry_run=dry_run)
    try:
        loaded = read_dataset(data, name, max_bytes=max_bytes)
    except FileError as error:
        report.file_errors.append(str(error))
    else:
        rows = list(loaded.dataset)  # import_data may change the dataset's headers but not its rows
        try:
            result = resource.import_data(loaded.dataset, dry_run=dry_run, user=user, file_name=name)
        except Exception:  # import_data runs in a transaction: nothing was written; log the bug, report plainly
            logger.exception("import of %s into %s failed", name, resource.name)
            report.file_errors.append(UNEXPECTED_FAILURE)
        else:
            _fill_report(report, result, resource, loaded, rows)
            report.written = report.ok and not dry_run and report.changed > 0
    report.seconds = perf_counter() - started
    return report


def _fill_report(report: ImportReport, result, resource: R2PResource, loaded: LoadedFile, rows: list) -> None:
    report.file_errors += [_plain_error(error.error) for error in result.base_errors]
    ignored = [header for header in loaded.dataset.headers if header and header not in _columns(resource)]
    if ignored:
        report.notices.append(f"These columns are not used and were ignored: {', '.join(ignored)}.")
    headers = loaded.dataset.headers
    for index, row_result in enumerate(result.rows):
        values = dict(zip(headers, rows[index], strict=False)) if index < len(rows) else {}
        if not values or is_blank_row(values.values()):
            continue
        number = loaded.row_number(index)
        label = row_result.object_repr or " ".join(cell_text(value) for value in list(values.values())[:3])
        if row_result.errors:
            problems = [_problem_from_exception(error.error) for error in row_result.errors]
            report.rows.append(RowReport(number, ERROR, label, errors=problems))
        elif row_result.validation_error is not None:
            problems = _problems_from_validation(row_result.validation_error, resource, values)
            report.rows.append(RowReport(number, ERROR, label, errors=problems))
        else:
            report.rows.append(RowReport(number, row_result.import_type, label))


def _columns(resource) -> set[str]:
    return {field.column_name for field in resource.fields.values()}


def _plain_error(error: Exception) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__


def _problem_from_exception(error: Exception) -> CellProblem:
    if isinstance(error, CellProblem):
        return error
    return CellProblem(None, None, _plain_error(error))


def _problems_from_validation(error: ValidationError, resource, values: dict) -> list[CellProblem]:
    try:
        by_key = error.message_dict
    except AttributeError:
        by_key = {NON_FIELD_ERRORS: error.messages}
    problems = []
    for key, messages in by_key.items():
        column = None
        if key != NON_FIELD_ERRORS:
            column = key
            for field in resource.fields.values():
                if key in (field.attribute, field.column_name) or f"{key}_id" == field.attribute:
                    column = field.column_name
                    break
        message = " ".join(str(message) for message in messages)
        if column is None:
            problems.append(CellProblem(None, None, message))
        else:
            problems.append(CellProblem(column, values.get(column), message))
    return problems


# Export ----------------------------------------------------------------------------------------------------


def export_queryset(name: str, *, cycle: int | None = None, country: str | None = None):
    """The records an export holds; assessments-related resources may be narrowed to a cycle and a country."""
    queryset = RESOURCES[name]().get_queryset()
    model = queryset.model
    prefix = {
        "Cycle": None,
        "Country": None,
        "Source": None,
        "ThematicArea": "",
        "Indicator": "",
        "CountryAssessment": "",
        "AssessmentItem": "country_assessment__",
        "Assignment": "country_assessment__",
    }.get(model.__name__)
    if cycle and prefix is not None:
        queryset = queryset.filter(**{f"{prefix}cycle__year": cycle})
    if country and prefix is not None and model.__name__ not in ("ThematicArea", "Indicator"):
        queryset = queryset.filter(**{f"{prefix}country__code": country.upper()})
    return queryset


def export_file(name: str, format_name: str, *, cycle: int | None = None, country: str | None = None) -> bytes:
    """The export of resource `name` as CSV, XLSX or JSON bytes."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown format {format_name!r}; use one of {', '.join(FORMATS)}")
    resource = RESOURCES[name]()
    file_format = FORMATS[format_name]()
    dataset = resource.export(export_queryset(name, cycle=cycle, country=country))
    data = file_format.export_data(dataset)
    return data.encode("utf-8") if isinstance(data, str) else data


def export_file_name(name: str, format_name: str, *, cycle: int | None = None, country: str | None = None) -> str:
    parts = ["r2p", name, str(cycle) if cycle else "", (country or "").upper()]
    return "-".join(part for part in parts if part) + f".{format_name}"


def read_upload(upload, *, max_bytes: int | None = None) -> tuple[bytes, str]:
    """Read an uploaded file after checking its size, so an oversized upload is never held in memory."""
    from .formats import max_upload_bytes

    limit = max_bytes or max_upload_bytes()
    if upload.size > limit:
        raise FileError(
            f"The file is {upload.size / (1024 * 1024):.1f} MB; at most {limit / (1024 * 1024):.0f} MB is accepted."
        )
    return b"".join(upload.chunks()), upload.name
