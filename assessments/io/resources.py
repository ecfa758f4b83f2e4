"""django-import-export resources: one per importable kind of record, keyed by natural keys, never by ids.

Every resource imports in one transaction that is rolled back when any row fails (validation errors
included), skips unchanged rows, and records history with the importing user and "import <file name>".
Editions have no resource: published editions are never imported, changed or deleted.
"""

import json
import re
from collections import OrderedDict

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import escape
from import_export import resources, widgets
from import_export.fields import Field
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import Error, Result, RowResult

from assessments.models import (
    AssessmentItem,
    Assignment,
    Country,
    CountryAssessment,
    Cycle,
    Indicator,
    ItemKind,
    Rating,
    Source,
    ThematicArea,
    Trend,
)
from assessments.search.services import search_index_update
from assessments.workflow.assignments import assignment_create, assignment_problem
from assessments.workflow.content import ContentChange, WriteKind, items_content_write
from assessments.workflow.items import citations_resolve, country_assessment_create

from .formats import FileError, LoadedFile, normalise_headers
from .indicators import import_indicator_dataset, import_reason
from .report import ImportReport
from .rows import (
    COLUMNS,
    CellProblem,
    IndicatorRow,
    ItemState,
    cell_text,
    is_blank_row,
    parse_country,
    parse_cycle,
    parse_indicator,
    parse_notes,
    parse_rating,
    parse_trend,
    plan_change,
)

# Widgets ---------------------------------------------------------------------------------------------------


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a natural key (a code, a year, a username), with a plain error when unknown."""

    def __init__(self, model, field, *, noun: str, **kwargs):
        self.noun = noun
        super().__init__(model, field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if self.field == "code":
            text = text.upper()
        try:
            return self.get_instance_by_lookup_fields(text, row, **kwargs)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise ValueError(f"no {self.noun} has this {self.field}") from None


class ThematicAreaWidget(LookupWidget):
    """Thematic-area codes are unique within a cycle: look the code up in the row's cycle."""

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(cycle__year=cell_text((row or {}).get("cycle")) or None)


class CodeWidget(widgets.CharWidget):
    """Codes (ISO alpha-3, indicator codes) are stored in capitals; accept them in any case."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value).upper()


class JSONValueWidget(widgets.Widget):
    """A JSON field written as JSON text; an empty cell is the field's empty value ([] or {})."""

    def __init__(self, empty, **kwargs):
        self.empty = empty
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return self.empty()
        if isinstance(value, dict | list):
            return value
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            raise ValueError("not valid JSON") from None

    def render(self, value, obj=None, **kwargs):
        return json.dumps(value, ensure_ascii=False) if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice field written as its label ("Very Strong") and read from a label or a stored key."""

    def __init__(self, parse, choices, **kwargs):
        self.parse = parse
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return self.parse(value)
        except CellProblem as problem:
            raise ValueError(problem.message) from None

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class NotesWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return parse_notes(value)
        except CellProblem as problem:
            raise ValueError(problem.message) from None


# The shared base -------------------------------------------------------------------------------------------

# Model constraints reported by full_clean() as "Constraint “name” is violated.", in plain words per column.
CONSTRAINT_MESSAGES = {
    "country_code_alpha3": ("code", "must be three capital letters (ISO alpha-3, such as KOR)"),
    "cycle_year_range": ("year", "must be a year from 2000 to 2100"),
    "cycle_not_own_previous": ("previous", "a cycle cannot follow itself"),
    "indicator_code_letters_dash_number": ("code", "must be letters, a dash and a number, such as IHR-10"),
    "source_key_syntax": ("key", "may hold letters, digits and _:.#$%&+?<>~/- only, and start with a letter or digit"),
    "source_issued_month_valid": ("issued_month", "must be a month from 1 to 12"),
    "source_issued_day_valid": ("issued_day", "must be a day from 1 to 31"),
    "countryassessment_legacy_score_0_100": ("legacy_score", "must be a score from 0 to 100"),
}
CONSTRAINT_VIOLATED = re.compile(r"^Constraint “(?P<name>[^”]+)” is violated\.$")


def plain_validation_error(error: ValidationError) -> ValidationError:
    """Turn full_clean()'s "Constraint “name” is violated." into a plain message on the column concerned."""
    if not hasattr(error, "error_dict"):
        return error
    by_key = {key: list(errors) for key, errors in error.error_dict.items()}
    for item in list(by_key.get(NON_FIELD_ERRORS, [])):
        match = CONSTRAINT_VIOLATED.match(" ".join(item.messages))
        if match and match["name"] in CONSTRAINT_MESSAGES:
            column, text = CONSTRAINT_MESSAGES[match["name"]]
            by_key[NON_FIELD_ERRORS].remove(item)
            by_key.setdefault(column, []).append(ValidationError(text))
    return ValidationError({key: errors for key, errors in by_key.items() if errors})


class NaturalKeyInstanceLoader(ModelInstanceLoader):
    """Find the record a row updates by its natural key; a bad key cell is reported with its column."""

    def get_instance(self, row):
        params = {}
        for name in self.resource.get_import_id_fields():
            field = self.resource.fields[name]
            try:
                params[field.attribute] = field.clean(row)
            except ValueError as error:
                raise CellProblem(field.column_name, row.get(field.column_name), str(error)) from None
        return self.get_queryset().filter(**params).first()


class R2PResource(resources.ModelResource):
    """All or nothing, unchanged rows skipped, history with the importing user and the file name."""

    name = ""  # the resource's name in URLs and on the command line
    label = ""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = NaturalKeyInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = None
        self.reason = import_reason("file")

    @classmethod
    def get_display_name(cls):
        return cls.label or cls.__name__

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        self.user = kwargs.get("user")
        self.reason = import_reason(kwargs.get("file_name") or "file")
        result = self.get_result_class()()
        try:
            normalise_headers(dataset)
        except FileError as error:
            result.append_base_error(self.get_error_result_class()(error))
            return result
        kwargs.pop("rollback_on_validation_errors", None)
        # A row that fails validation rolls the whole file back, as a row that raises does.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise plain_validation_error(error) from None

    def import_row(self, row, instance_loader, **kwargs):
        if is_blank_row(row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        # An empty spreadsheet cell reads as None; text fields want "" and every other widget reads "" as empty.
        row = OrderedDict((column, "" if value is None else value) for column, value in row.items())
        return super().import_row(row, instance_loader, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user
        instance._change_reason = self.reason


# Resources -------------------------------------------------------------------------------------------------


class CountryResource(R2PResource):
    name, label = "countries", "Countries"
    code = Field(attribute="code", column_name="code", widget=CodeWidget())

    class Meta:
        model = Country
        fields = ["code", "alpha2", "name", "name_in_text"]
        import_id_fields = ["code"]

    def get_queryset(self):
        return Country.objects.order_by("code")


class CycleResource(R2PResource):
    name, label = "cycles", "Cycles"
    previous = Field(attribute="previous", column_name="previous", widget=LookupWidget(Cycle, "year", noun="cycle"))

    class Meta:
        model = Cycle
        fields = ["year", "previous", "title", "introduction", "ibid_enabled"]
        import_id_fields = ["year"]

    def get_queryset(self):
        return Cycle.objects.select_related("previous").order_by("year")


class ThematicAreaResource(R2PResource):
    name, label = "thematic-areas", "Framework: thematic areas"
    cycle = Field(attribute="cycle", column_name="cycle", widget=LookupWidget(Cycle, "year", noun="cycle"))

    class Meta:
        model = ThematicArea
        fields = ["cycle", "code", "name", "position"]
        import_id_fields = ["cycle", "code"]

    def get_queryset(self):
        return ThematicArea.objects.select_related("cycle").order_by("cycle__year", "position")


class IndicatorResource(R2PResource):
    name, label = "indicators", "Framework: indicators"
    cycle = Field(attribute="cycle", column_name="cycle", widget=LookupWidget(Cycle, "year", noun="cycle"))
    thematic_area = Field(
        attribute="thematic_area",
        column_name="thematic_area",
        widget=ThematicAreaWidget(ThematicArea, "code", noun="thematic area of that cycle"),
    )
    code = Field(attribute="code", column_name="code", widget=CodeWidget())

    class Meta:
        model = Indicator
        fields = ["cycle", "thematic_area", "code", "title", "position"]
        import_id_fields = ["cycle", "code"]

    def get_queryset(self):
        return Indicator.objects.select_related("cycle", "thematic_area").order_by("cycle__year", "position")


class SourceResource(R2PResource):
    name, label = "sources", "Sources"
    authors = Field(attribute="authors", column_name="authors", widget=JSONValueWidget(list))
    csl_extra = Field(attribute="csl_extra", column_name="csl_extra", widget=JSONValueWidget(dict))
    accessed = Field(attribute="accessed", column_name="accessed", widget=widgets.DateWidget(format="%Y-%m-%d"))

    class Meta:
        model = Source
        fields = [
            "key",
            "type",
            "authors",
            "author_abbreviation",
            "issued_year",
            "issued_month",
            "issued_day",
            "title",
            "container_title",
            "publisher",
            "url",
            "accessed",
            "un_symbol",
            "note",
            "csl_extra",
        ]
        import_id_fields = ["key"]

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "_import_is_new", False):
            citations_resolve(source=instance, user=self.user, reason=self.reason)
        search_index_update(sources=[instance])

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_is_new = new


class CountryAssessmentResource(R2PResource):
    """A new assessment gets its overview, indicator and conclusion items, as when created in r2p."""

    name, label = "country-assessments", "Country assessments"
    country = Field(attribute="country", column_name="country", widget=LookupWidget(Country, "code", noun="country"))
    cycle = Field(attribute="cycle", column_name="cycle", widget=LookupWidget(Cycle, "year", noun="cycle"))

    class Meta:
        model = CountryAssessment
        fields = ["country", "cycle", "legacy_score"]
        import_id_fields = ["country", "cycle"]

    def get_queryset(self):
        return CountryAssessment.objects.select_related("country", "cycle").order_by("cycle__year", "country__code")

    def do_instance_save(self, instance, is_create):
        """A new assessment is started by the service that gives it all its items; an existing one changes only
        its legacy score here."""
        if is_create:
            created = country_assessment_create(
                country=instance.country,
                cycle=instance.cycle,
                user=self.user,
                reason=self.reason,
                legacy_score=instance.legacy_score,
            )
            instance.pk = created.pk
        else:
            instance.save()


class AssignmentResource(R2PResource):
    """Who works on which assessment: country, cycle, username, role (researcher or reviewer)."""

    name, label = "assignments", "Assignments"
    country = Field(attribute="country_assessment__country__code", column_name="country", readonly=True)
    cycle = Field(attribute="country_assessment__cycle__year", column_name="cycle", readonly=True)
    user = Field(attribute="user", column_name="user", widget=LookupWidget(get_user_model(), "username", noun="user"))

    class Meta:
        model = Assignment
        fields = ["country", "cycle", "user", "role"]
        import_id_fields = ["country", "cycle", "user", "role"]

    def get_queryset(self):
        return Assignment.objects.select_related(
            "country_assessment__country", "country_assessment__cycle", "user"
        ).order_by("country_assessment__cycle__year", "country_assessment__country__code", "user__username", "role")

    def _assessment(self, row) -> CountryAssessment:
        code, year = parse_country(row.get("country")), parse_cycle(row.get("cycle"))
        assessment = CountryAssessment.objects.filter(country__code=code, cycle__year=year).first()
        if assessment is None:
            raise CellProblem("country", code, f"no assessment of this country exists in cycle {year}")
        return assessment

    def get_instance(self, instance_loader, row):
        assessment = self._assessment(row)
        try:
            user = self.fields["user"].clean(row)
        except ValueError as error:
            raise CellProblem("user", row.get("user"), str(error)) from None
        return Assignment.objects.filter(
            country_assessment=assessment, user=user, role=cell_text(row.get("role")).lower()
        ).first()

    def init_instance(self, row=None):
        return Assignment(country_assessment=self._assessment(row))

    def import_instance(self, instance, row, **kwargs):
        if "role" in row:
            row["role"] = cell_text(row["role"]).lower()
        super().import_instance(instance, row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        if instance.pk is None and instance.user_id:
            problem = assignment_problem(assignee=instance.user, role=instance.role)
            if problem:
                raise ValidationError({"user": [problem]})

    def do_instance_save(self, instance, is_create):
        """New assignments through the same service (and role rules) as the assignment panel."""
        if is_create:
            created = assignment_create(
                country_assessment=instance.country_assessment,
                assignee=instance.user,
                role=instance.role,
                user=self.user,
                reason=self.reason,
            )
            instance.pk = created.pk


# Indicator assessments -------------------------------------------------------------------------------------


class IndicatorAssessmentResource(R2PResource):
    """One row per indicator of a country in a cycle; the row-by-row django-import-export path.

    Kept as the reference implementation and for the benchmark; the admin, the web page and the CLI use
    FastIndicatorAssessmentResource / import_indicator_assessments, which apply the same rules in bulk.
    """

    name, label = "indicator-assessments", "Indicator assessments"
    country = Field(attribute="country_assessment__country__code", column_name="country", readonly=True)
    cycle = Field(attribute="country_assessment__cycle__year", column_name="cycle", readonly=True)
    indicator = Field(attribute="indicator__code", column_name="indicator", readonly=True)
    rating = Field(attribute="rating", column_name="rating", widget=ChoiceWidget(parse_rating, Rating))
    trend = Field(attribute="trend", column_name="trend", widget=ChoiceWidget(parse_trend, Trend))
    notes = Field(attribute="notes", column_name="notes", widget=NotesWidget())
    status = Field(attribute="status", column_name="status", readonly=True)  # set by the rules, not the widget

    class Meta:
        model = AssessmentItem
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["country", "cycle", "indicator"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen: dict[tuple, int] = {}
        self._notes_changed: list[AssessmentItem] = []
        self._created: set[int] = set()

    def get_queryset(self):
        return (
            AssessmentItem.objects.indicators()
            .select_related("country_assessment__country", "country_assessment__cycle", "indicator")
            .order_by("country_assessment__cycle__year", "country_assessment__country__code", "indicator__position")
        )

    def filter_export(self, queryset, **kwargs):
        """The admin exports its changelist's items: keep the indicators (overview and conclusion have no row)."""
        return queryset.filter(kind=ItemKind.INDICATOR).select_related(
            "country_assessment__country", "country_assessment__cycle", "indicator"
        )

    def get_or_init_instance(self, instance_loader, row):
        code, year = parse_country(row.get("country")), parse_cycle(row.get("cycle"))
        indicator_code = parse_indicator(row.get("indicator"))
        country = Country.objects.filter(code=code).first()
        if country is None:
            raise CellProblem("country", code, "no country has this code")
        cycle = Cycle.objects.filter(year=year).first()
        if cycle is None:
            raise CellProblem("cycle", year, "no cycle has this year")
        indicator = Indicator.objects.filter(cycle=cycle, code=indicator_code).first()
        if indicator is None:
            raise CellProblem("indicator", indicator_code, f"the {year} framework has no such indicator")
        label = f"{code} {year} {indicator_code}"
        key = (country.pk, cycle.pk, indicator.pk)
        if key in self._seen:
            raise CellProblem("indicator", indicator_code, f"row {self._seen[key]} already imports {label}")
        self._seen[key] = self._row_number
        assessment = CountryAssessment.objects.filter(country=country, cycle=cycle).first()
        if assessment is None:
            assessment = country_assessment_create(country=country, cycle=cycle, user=self.user, reason=self.reason)
            self._created.add(assessment.pk)
        new = assessment.pk in self._created  # rows of an assessment this file creates are all new
        item = self.get_queryset().filter(country_assessment=assessment, indicator=indicator).first()
        if item is None:
            raise CellProblem("indicator", indicator_code, f"{assessment} has no item for this indicator")
        item._import_original = ItemState.of(item)
        return item, new

    def import_row(self, row, instance_loader, **kwargs):
        self._row_number = kwargs.get("row_number", 0) + 1
        return super().import_row(row, instance_loader, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)  # rating, trend and notes through their widgets
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        original: ItemState = instance._import_original
        wanted = IndicatorRow(
            country="",
            cycle=0,
            indicator="",
            rating=instance.rating if "rating" in row else None,
            trend=instance.trend if "trend" in row else None,
            notes=instance.notes if "notes" in row else None,
        )
        try:
            change = plan_change(original, wanted, user=self.user)
        except CellProblem as problem:
            raise ValidationError({problem.column: [problem.message]}) from None
        for name in ("rating", "trend", "notes"):
            setattr(instance, name, change.values.get(name, getattr(original, name)))
        instance._import_change = change

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        return not getattr(instance, "_import_change", None)

    def do_instance_save(self, instance, is_create):
        """Through the one content service (a "new" row fills an item its new country assessment already has)."""
        items_content_write(
            changes=[ContentChange(item=instance, values=dict(instance._import_change.values))],
            user=self.user,
            reason=self.reason,
            kind=WriteKind.IMPORT,
        )


class FastIndicatorAssessmentResource(IndicatorAssessmentResource):
    """The same format, imported by the bulk path; returns an import-export Result for the admin's preview."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        file_name = kwargs.get("file_name") or "file"
        report = ImportReport(resource=self.name, file_name=file_name, dry_run=dry_run)
        try:
            normalise_headers(dataset)
        except FileError as error:
            report.file_errors.append(str(error))
        else:
            loaded = LoadedFile(dataset=dataset, file_name=file_name, format_name="")
            import_indicator_dataset(loaded, user=kwargs.get("user"), dry_run=dry_run, report=report)
        return self.result_from_report(report, dataset)

    def result_from_report(self, report: ImportReport, dataset) -> Result:
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(report.rows)
        for message in report.file_errors:
            result.append_base_error(Error(FileError(message)))
        headers = dataset.headers or []
        for row in report.rows:
            values = dict(zip(headers, dataset[row.number - 2], strict=False))
            row_result = self.get_row_result_class()()
            if row.errors:
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = ValidationError(
                    {(problem.column or NON_FIELD_ERRORS): [problem.message] for problem in row.errors}
                )
                result.append_invalid_row(row.number - 1, values, row_result.validation_error)
            else:
                row_result.import_type = row.action
                row_result.object_repr = row.label
                row_result.diff = [escape(cell_text(values.get(column)))[:200] for column in result.diff_headers]
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
        return result


RESOURCES: dict[str, type[R2PResource]] = {
    resource.name: resource
    for resource in [
        CountryResource,
        CycleResource,
        ThematicAreaResource,
        IndicatorResource,
        SourceResource,
        CountryAssessmentResource,
        IndicatorAssessmentResource,
        AssignmentResource,
    ]
}
