"""Pages that open a new cycle in steps: the cycle, its framework, its countries, its assignments.

Each step calls one service (framework.opening, workflow.items, workflow.assignments); the views only read forms,
call it and say what happened."""

from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from assessments.accounts.views import RightRequiredMixin
from assessments.framework import opening
from assessments.framework.forms import (
    BulkAssignmentForm,
    CycleCountriesForm,
    CycleOpenForm,
    IndicatorAddForm,
    IndicatorMapForm,
    IndicatorRenameForm,
    IndicatorRetireForm,
    previous_choices,
)
from assessments.models import Assignment, Country, CountryAssessment, Cycle, Indicator
from assessments.workflow import permissions
from assessments.workflow.assignments import BulkAssignmentError, assignments_bulk_set, bulk_rows_read
from assessments.workflow.items import country_assessments_add

STEPS = (
    ("cycle", "The cycle"),
    ("framework", "Framework"),
    ("countries", "Countries"),
    ("assignments", "Assignments"),
)


def _steps(current: str, cycle: Cycle | None) -> list[dict]:
    urls = {
        "cycle": reverse("cycle-new"),
        "framework": reverse("cycle-framework", args=[cycle.year]) if cycle else "",
        "countries": reverse("cycle-countries", args=[cycle.year]) if cycle else "",
        "assignments": reverse("cycle-assignments", args=[cycle.year]) if cycle else "",
    }
    return [
        {
            "number": number,
            "key": key,
            "label": label,
            "url": urls[key] if key != "cycle" else "",
            "current": key == current,
        }
        for number, (key, label) in enumerate(STEPS, start=1)
    ]


class _OpenerMixin(RightRequiredMixin):
    """Editors and admins only; the cycle (when the URL names one) is loaded with its previous cycle."""

    right = permissions.can_open_cycle
    refusal = "Only editors and admins open a cycle and set it up."

    @cached_property
    def cycle(self) -> Cycle:
        """The cycle the URL names, read once the right has been checked (no 404 before the 403)."""
        return get_object_or_404(Cycle.objects.select_related("previous"), year=self.kwargs["year"])


class CycleOpenView(_OpenerMixin, View):
    """Step 1: the new cycle's year, the cycle it follows, its standard introduction and coverage period."""

    template_name = "framework/cycle_open.html"

    def get(self, request):
        cycles = opening.cycles_to_open_from()
        wanted = request.GET.get("from", "")
        previous = next((cycle for cycle in cycles if str(cycle.year) == wanted), None) or cycles.first()
        initial = {}
        if previous is not None:
            year = previous.year + 3
            start, end = opening.suggested_coverage(previous, year)
            initial = {
                "previous": previous,
                "year": year,
                "introduction": opening.shifted_introduction(
                    previous.introduction, previous_year=previous.year, year=year
                ),
                "coverage_start": start,
                "coverage_end": end,
            }
        form = CycleOpenForm(initial=initial, cycles=cycles)
        return self._render(request, form, previous)

    def post(self, request):
        form = CycleOpenForm(request.POST, cycles=opening.cycles_to_open_from())
        if form.is_valid():
            data = form.cleaned_data
            try:
                cycle = opening.cycle_open_from(
                    previous=data["previous"],
                    year=data["year"],
                    introduction=data["introduction"].replace("\r\n", "\n"),
                    coverage_start=data["coverage_start"],
                    coverage_end=data["coverage_end"],
                    user=request.user,
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                count = cycle.indicators.count()
                messages.success(
                    request,
                    f"Cycle {cycle.year} is set up from {data['previous'].year} with its {count} indicators. "
                    "Edit the framework now if it changes; it is fixed once countries are added.",
                )
                return redirect("cycle-framework", cycle.year)
        return self._render(request, form, form.cleaned_data.get("previous") if form.is_bound else None, status=400)

    def _render(self, request, form, previous, status=200):
        context = {"form": form, "previous": previous, "steps": _steps("cycle", None)}
        return render(request, self.template_name, context, status=status)


@dataclass
class FrameworkRow:
    indicator: Indicator
    continues: Indicator | None  # the previous cycle's indicator it continues
    continues_code: str | None  # as mapped, even when the previous cycle has no such indicator

    @property
    def renamed(self) -> bool:
        return self.continues is not None and (
            self.continues.code != self.indicator.code or self.continues.title != self.indicator.title
        )


class CycleFrameworkView(_OpenerMixin, View):
    """Step 2: the copied framework, each indicator with the one of the previous cycle it continues; edits are
    offered while the cycle has no country assessments."""

    def get(self, request, year: int):
        cycle = self.cycle
        indicators = list(Indicator.objects.for_cycle(cycle))
        previous = {
            indicator.code: indicator
            for indicator in (
                Indicator.objects.filter(cycle_id=cycle.previous_id).select_related("thematic_area")
                if cycle.previous_id
                else []
            )
        }
        rows = [
            FrameworkRow(indicator, previous.get(indicator.continues_code or ""), indicator.continues_code)
            for indicator in indicators
        ]
        continued = {row.continues_code for row in rows if row.continues is not None}
        dropped = sorted(
            (indicator for code, indicator in previous.items() if code not in continued), key=lambda i: i.position
        )
        lock = opening.framework_lock_reason(cycle)
        choices = [(code, f"{code} {indicator.title}"[:90]) for code, indicator in previous.items()]
        context = {
            "cycle": cycle,
            "rows": rows,
            "dropped": dropped,
            "lock": lock,
            "editable": not lock,
            "add_form": IndicatorAddForm(cycle=cycle, previous_choices=choices) if not lock else None,
            "previous_choices": choices,
            "counts": {
                "new": sum(1 for row in rows if row.continues is None),
                "renamed": sum(1 for row in rows if row.renamed),
            },
            "steps": _steps("framework", cycle),
        }
        return render(request, "framework/cycle_framework.html", context)


class _IndicatorActionView(_OpenerMixin, View):
    """POST-only framework edits; errors come back as a message on the framework page."""

    http_method_names = ["post"]

    def back(self, anchor: str = ""):
        return redirect(reverse("cycle-framework", args=[self.cycle.year]) + (f"#{anchor}" if anchor else ""))

    def refused(self, request, error: ValidationError, anchor: str = ""):
        messages.error(request, " ".join(error.messages))
        return self.back(anchor)

    def indicator(self, code: str) -> Indicator:
        return get_object_or_404(Indicator, cycle=self.cycle, code=code.upper())


def _form_error(form) -> ValidationError:
    return ValidationError(
        [f"{form.fields[name].label or name.title() if name in form.fields else ''}: {message}".lstrip(": ")
         for name, errors in form.errors.items() for message in errors]
    )  # fmt: skip


class IndicatorAddView(_IndicatorActionView):
    def post(self, request, year: int):
        form = IndicatorAddForm(request.POST, cycle=self.cycle, previous_choices=previous_choices(self.cycle))
        if not form.is_valid():
            return self.refused(request, _form_error(form), "add-indicator")
        data = form.cleaned_data
        try:
            indicator = opening.indicator_add(
                area=data["area"],
                code=data["code"],
                title=data["title"],
                continues=data["continues"],
                user=request.user,
                reason=data["reason"],
            )
        except ValidationError as refused:
            return self.refused(request, refused, "add-indicator")
        messages.success(request, f"Added {indicator.code} to {data['area'].name}.")
        return self.back(f"i-{indicator.code}")


class IndicatorRenameView(_IndicatorActionView):
    def post(self, request, year: int, code: str):
        indicator = self.indicator(code)
        form = IndicatorRenameForm(request.POST)
        if not form.is_valid():
            return self.refused(request, _form_error(form), f"i-{indicator.code}")
        try:
            indicator = opening.indicator_rename(
                indicator=indicator,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refused:
            return self.refused(request, refused, f"i-{indicator.code}")
        messages.success(request, f"Renamed: {indicator.code} {indicator.title}.")
        return self.back(f"i-{indicator.code}")


class IndicatorMapView(_IndicatorActionView):
    def post(self, request, year: int, code: str):
        indicator = self.indicator(code)
        form = IndicatorMapForm(request.POST, previous_choices=previous_choices(self.cycle))
        if not form.is_valid():
            return self.refused(request, _form_error(form), f"i-{indicator.code}")
        try:
            indicator = opening.indicator_map(
                indicator=indicator,
                continues=form.cleaned_data["continues"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refused:
            return self.refused(request, refused, f"i-{indicator.code}")
        what = f"continues {indicator.continues_code}" if indicator.continues_code else "is new in this cycle"
        messages.success(request, f"{indicator.code} {what}.")
        return self.back(f"i-{indicator.code}")


class IndicatorRetireView(_IndicatorActionView):
    def post(self, request, year: int, code: str):
        indicator = self.indicator(code)
        form = IndicatorRetireForm(request.POST)
        form.is_valid()
        try:
            opening.indicator_retire(indicator=indicator, user=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as refused:
            return self.refused(request, refused, f"i-{indicator.code}")
        messages.success(request, f"Retired {indicator.code} from {self.cycle.year}.")
        return self.back()


class CycleCountriesView(_OpenerMixin, View):
    """Step 3: the countries of the cycle; the previous cycle's are offered and checked by default."""

    template_name = "framework/cycle_countries.html"

    def _context(self, form=None):
        cycle = self.cycle
        present = list(
            CountryAssessment.objects.filter(cycle=cycle).select_related("country", "cycle").order_by("country__name")
        )
        present_ids = {assessment.country_id for assessment in present}
        offered = Country.objects.filter(assessments__cycle_id=cycle.previous_id).exclude(pk__in=present_ids)
        offered = offered.order_by("name") if cycle.previous_id else Country.objects.none()
        offered_list = list(offered)
        if form is None:
            form = CycleCountriesForm(choices=offered, initial={"countries": offered_list})
        form.fields["countries"].choices = [(country.pk, country.name) for country in offered_list]  # read once
        return {
            "offered": len(offered_list),
            "cycle": cycle,
            "form": form,
            "present": present,
            "lock": opening.framework_lock_reason(cycle) if present else "",
            "steps": _steps("countries", cycle),
        }

    def get(self, request, year: int):
        return render(request, self.template_name, self._context())

    def post(self, request, year: int):
        cycle = self.cycle
        choices = Country.objects.filter(assessments__cycle_id=cycle.previous_id) if cycle.previous_id else None
        form = CycleCountriesForm(request.POST, choices=choices if choices is not None else Country.objects.none())
        if form.is_valid():
            try:
                added = country_assessments_add(cycle=cycle, countries=form.country_list(), user=request.user)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(
                    request,
                    f"{cycle.year} is open with {len(added)} new countr{'ies' if len(added) != 1 else 'y'}, each with "
                    "its overview, indicators and conclusion. Assign researchers and reviewers next.",
                )
                return redirect("cycle-assignments", cycle.year)
        return render(request, self.template_name, self._context(form), status=400)


class CycleAssignmentsView(_OpenerMixin, View):
    """Step 4: researchers, reviewers and due dates of many countries at once, from a CSV; all or nothing."""

    template_name = "framework/cycle_assignments.html"

    def _context(self, form, rows=None):
        cycle = self.cycle
        assessments = list(
            CountryAssessment.objects.filter(cycle=cycle, legacy_score__isnull=True)
            .select_related("country", "cycle")
            .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("user")))
            .order_by("country__name")
        )
        return {
            "cycle": cycle,
            "form": form,
            "rows": rows,
            "assessments": assessments,
            "steps": _steps("assignments", cycle),
        }

    def get(self, request, year: int):
        return render(request, self.template_name, self._context(BulkAssignmentForm()))

    def post(self, request, year: int):
        form = BulkAssignmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self._context(form), status=400)
        upload = form.cleaned_data["file"]
        try:
            rows = bulk_rows_read(upload.read())
            result = assignments_bulk_set(
                cycle=self.cycle,
                rows=rows,
                user=request.user,
                reason=form.cleaned_data["reason"] or f"bulk assignment from {upload.name}"[:200],
            )
        except BulkAssignmentError as refused:
            form.add_error(None, refused.messages[0])
            return render(request, self.template_name, self._context(form, refused.rows), status=400)
        except ValidationError as refused:
            form.add_error(None, refused)
            return render(request, self.template_name, self._context(form), status=400)
        messages.success(
            request,
            f"{len(result.rows)} countr{'ies' if len(result.rows) != 1 else 'y'} assigned: {result.created} "
            f"assignment{'s' if result.created != 1 else ''} made, {result.removed} replaced, "
            f"{result.due_dates} due date{'s' if result.due_dates != 1 else ''} set.",
        )
        return redirect("cycle-assignments", self.cycle.year)
