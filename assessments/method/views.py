"""Pages of the method: the codebook (editors), the public methodology, evidence freshness, calibration of one
indicator across countries and the consistency report (staff, on the assessments each person may see)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from assessments.accounts.views import RightRequiredMixin
from assessments.models import AssessmentItem, Cycle, Indicator, ItemKind, Rating
from assessments.overview.staff import visible_assessments
from assessments.workflow import permissions
from assessments.workflow.views import ItemActionView

from .calibration import SORTS, calibration_rows, consistency_report, filter_and_sort
from .codebook import (
    GUIDANCE_FIELDS,
    codebook_csv,
    codebook_document,
    codebook_for,
    codebook_import,
    cycle_coverage_update,
    guidance_update,
    read_codebook_csv,
)
from .evidence import NO_EVIDENCE_FROM_PERIOD, NO_SOURCES, UNDATED, evidence_by_item
from .forms import CodebookUploadForm, CoverageForm, GuidanceForm, WaiverForm
from .rationale import rating_change_waive
from .regions import region_names


def _cycle(year: int) -> Cycle:
    return get_object_or_404(Cycle.objects.select_related("previous"), year=year)


class EditorMixin(RightRequiredMixin):
    right = permissions.is_editor
    refusal = "Only editors edit the codebook."


# --- codebook --------------------------------------------------------------------------------------------


class CodebookView(EditorMixin, View):
    """Editors: the cycle's coverage period and the guidance of every indicator, each with its own form."""

    http_method_names = ["get"]

    def get(self, request, year: int):
        cycle = _cycle(year)
        entries = codebook_for(cycle)
        forms = [(entry, GuidanceForm(instance=entry.guidance, prefix=entry.indicator.code)) for entry in entries]
        context = {
            "cycle": cycle,
            "entries": forms,
            "coverage_form": CoverageForm(
                initial={"coverage_start": cycle.coverage_start, "coverage_end": cycle.coverage_end}
            ),
            "upload_form": CodebookUploadForm(),
            "missing": sum(1 for entry in entries if entry.is_empty),
        }
        return TemplateResponse(request, "method/codebook.html", context)


class GuidanceUpdateView(EditorMixin, View):
    http_method_names = ["post"]

    def post(self, request, year: int, code: str):
        cycle = _cycle(year)
        indicator = get_object_or_404(Indicator, cycle=cycle, code=code.upper())
        form = GuidanceForm(request.POST, prefix=indicator.code)
        if form.is_valid():
            guidance_update(
                indicator=indicator, user=request.user, **{n: form.cleaned_data[n] for n in GUIDANCE_FIELDS}
            )
            messages.success(request, f"Guidance for {indicator.code} saved.")
        else:
            messages.error(request, f"Guidance for {indicator.code} not saved: " + form.errors.as_text())
        return redirect(reverse("method-codebook", args=[cycle.year]) + f"#g-{indicator.code}")


class CoverageUpdateView(EditorMixin, View):
    http_method_names = ["post"]

    def post(self, request, year: int):
        cycle = _cycle(year)
        form = CoverageForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Dates as YYYY-MM-DD, please.")
            return redirect("method-codebook", cycle.year)
        try:
            cycle_coverage_update(
                cycle=cycle,
                user=request.user,
                start=form.cleaned_data["coverage_start"],
                end=form.cleaned_data["coverage_end"],
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, f"Coverage period of {cycle.year} saved.")
        return redirect("method-codebook", cycle.year)


class CodebookExportView(EditorMixin, View):
    http_method_names = ["get"]

    def get(self, request, year: int):
        cycle = _cycle(year)
        response = HttpResponse(codebook_csv(cycle), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="r2p-codebook-{cycle.year}.csv"'
        return response


class CodebookImportView(EditorMixin, View):
    http_method_names = ["post"]

    def post(self, request, year: int):
        cycle = _cycle(year)
        form = CodebookUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "Choose a codebook CSV file to import.")
            return redirect("method-codebook", cycle.year)
        try:
            rows = read_codebook_csv(form.cleaned_data["file"].read())
            changed = codebook_import(cycle=cycle, rows=rows, user=request.user)
        except ValidationError as refused:
            messages.error(request, "Nothing imported: " + " ".join(refused.messages))
        else:
            messages.success(
                request, f"Codebook imported: guidance of {changed} indicator{'s' if changed != 1 else ''} changed."
            )
        return redirect("method-codebook", cycle.year)


# --- public methodology ----------------------------------------------------------------------------------


class MethodologyView(View):
    """Public: the cycle's scale, coverage period and codebook."""

    http_method_names = ["get"]

    def get(self, request, year: int):
        cycle = _cycle(year)
        context = {"cycle": cycle, "entries": codebook_for(cycle), "scale": Rating.strongest_first()}
        return TemplateResponse(request, "method/methodology.html", context)


class MethodologyJsonView(View):
    http_method_names = ["get"]

    def get(self, request, year: int):
        return JsonResponse(codebook_document(_cycle(year)), json_dumps_params={"ensure_ascii": False, "indent": 2})


# --- freshness, calibration, consistency -----------------------------------------------------------------


class FreshnessReportView(LoginRequiredMixin, View):
    """Every indicator of the visible assessments of a cycle whose evidence is stale, undated or missing."""

    http_method_names = ["get"]

    def get(self, request, year: int):
        cycle = _cycle(year)
        items = list(
            AssessmentItem.objects.filter(
                country_assessment__in=visible_assessments(request.user, cycle), kind=ItemKind.INDICATOR
            )
            .exclude(rating="", notes="")
            .select_related("country_assessment__country", "country_assessment__cycle", "indicator")
            .order_by("country_assessment__country__name", "indicator__position")
        )
        evidence = evidence_by_item([item.pk for item in items], cycle)
        rows = [(item, evidence[item.pk]) for item in items if evidence[item.pk].flags]
        counts = {
            flag: sum(1 for _, entry in rows if flag in entry.flags)
            for flag in (NO_EVIDENCE_FROM_PERIOD, UNDATED, NO_SOURCES)
        }
        context = {"cycle": cycle, "rows": rows, "counts": counts, "checked": len(items)}
        return TemplateResponse(request, "method/freshness.html", context)


class CalibrationView(LoginRequiredMixin, View):
    """One indicator across every country of the cycle the user may see: sortable, filterable."""

    http_method_names = ["get"]

    def get(self, request, year: int, code: str):
        cycle = _cycle(year)
        indicators = list(Indicator.objects.for_cycle(cycle))
        indicator = next((i for i in indicators if i.code == code.upper()), None)
        if indicator is None:
            raise Http404("No such indicator in this cycle.")
        rows = calibration_rows(cycle=cycle, indicator=indicator, assessments=visible_assessments(request.user, cycle))
        rating = request.GET.get("rating", "")
        rating = rating if rating in (*Rating.values, "none") else ""
        region = request.GET.get("region", "")
        region = region if region in region_names() else ""
        sort = request.GET.get("sort", "country")
        sort = sort if sort.lstrip("-") in SORTS else "country"
        shown = filter_and_sort(rows, rating=rating, region=region, sort=sort)
        position = indicators.index(indicator)
        present = {row.region for row in rows}  # listed in region_names() order, "Other" last, as everywhere
        context = {
            "cycle": cycle,
            "indicator": indicator,
            "indicators": indicators,
            "previous_indicator": indicators[position - 1] if position else None,
            "next_indicator": indicators[position + 1] if position + 1 < len(indicators) else None,
            "rows": shown,
            "total": len(rows),
            "changed": sum(1 for row in rows if row.change),
            "rating": rating,
            "region": region,
            "sort": sort,
            "sorts": {name: ("-" + name if sort == name else name) for name in SORTS},
            "ratings": Rating.strongest_first(),
            "regions": [name for name in region_names() if name in present],
        }
        return TemplateResponse(request, "method/calibration.html", context)


class ConsistencyView(LoginRequiredMixin, View):
    http_method_names = ["get"]

    def get(self, request, year: int):
        cycle = _cycle(year)
        report = consistency_report(cycle=cycle, assessments=visible_assessments(request.user, cycle))
        return TemplateResponse(request, "method/consistency.html", {"cycle": cycle, "report": report})


# --- waiver ----------------------------------------------------------------------------------------------


class RationaleWaiveView(ItemActionView):
    """POST only: an editor waives the change rationale of the item's current rating, with a reason."""

    def post(self, request, *args, **kwargs):
        if not permissions.is_editor(request.user):
            raise PermissionDenied("Only editors waive a change rationale.")
        form = WaiverForm(request.POST)
        try:
            rating_change_waive(item=self.item, user=request.user, reason=form.data.get("reason", ""))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, "The change rationale is waived for this rating; the reason is recorded.")
        return self.back("#rationale")
