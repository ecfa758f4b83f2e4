"""Staff pages of the foundation: cycle overview, country assessment, item and source pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, View

from assessments.models import AssessmentItem, CountryAssessment, Cycle, ItemKind, Source, ThematicArea
from assessments.services.permissions import can_view_assessment
from assessments.services.scoring import assessment_score, assessment_scores


class DashboardView(LoginRequiredMixin, View):
    def get(self, request):
        cycle = Cycle.objects.order_by("-year").first()
        if cycle is None:
            raise Http404("No cycle exists yet; run `python manage.py loaddemo` or add one in the admin.")
        return redirect(cycle)


class CycleDetailView(LoginRequiredMixin, ListView):
    """Every country assessment of a cycle with its score and workflow progress."""

    template_name = "assessments/cycle_detail.html"
    context_object_name = "assessments"

    def get_queryset(self):
        self.cycle = get_object_or_404(Cycle.objects.select_related("previous"), year=self.kwargs["year"])
        return (
            CountryAssessment.objects.for_cycle(self.cycle)
            .with_progress()
            .select_related("country", "cycle")
            .order_by("country__name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scores = assessment_scores(context["assessments"])
        for assessment in context["assessments"]:
            assessment.score_summary = scores[assessment.pk]
        context["cycle"] = self.cycle
        context["cycles"] = Cycle.objects.order_by("-year")
        return context


def _country_assessment(year: int, country: str, user) -> CountryAssessment:
    """The assessment, if the user may see its drafts (editors, admins and the people assigned)."""
    assessment = get_object_or_404(
        CountryAssessment.objects.select_related("country", "cycle__previous"),
        cycle__year=year,
        country__code=country.upper(),
    )
    if not can_view_assessment(user, assessment):
        raise PermissionDenied("You are not assigned to this country assessment.")
    return assessment


class CountryAssessmentView(LoginRequiredMixin, DetailView):
    template_name = "assessments/countryassessment_detail.html"
    context_object_name = "assessment"

    def get_object(self, queryset=None):
        return _country_assessment(self.kwargs["year"], self.kwargs["country"], self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(self.object.items.in_reading_order())
        indicator_items = [item for item in items if item.kind == ItemKind.INDICATOR]
        areas = ThematicArea.objects.filter(cycle=self.object.cycle).order_by("position")
        by_area = {area.pk: [] for area in areas}
        for item in indicator_items:
            by_area[item.indicator.thematic_area_id].append(item)
        context.update(
            overview=next((item for item in items if item.kind == ItemKind.OVERVIEW), None),
            conclusion=next((item for item in items if item.kind == ItemKind.CONCLUSION), None),
            areas=[(area, by_area[area.pk]) for area in areas],
            score=assessment_score(self.object, ratings=[item.rating for item in indicator_items]),
        )
        return context


class ItemDetailView(LoginRequiredMixin, DetailView):
    template_name = "assessments/item_detail.html"
    context_object_name = "item"

    def get_object(self, queryset=None):
        assessment = _country_assessment(self.kwargs["year"], self.kwargs["country"], self.request.user)
        slug = self.kwargs["item"]
        items = AssessmentItem.objects.filter(country_assessment=assessment).select_related(
            "indicator__thematic_area", "country_assessment__country", "country_assessment__cycle"
        )
        if slug in (ItemKind.OVERVIEW, ItemKind.CONCLUSION):
            return get_object_or_404(items, kind=slug)
        return get_object_or_404(items, kind=ItemKind.INDICATOR, indicator__code=slug.upper())


class SourceDetailView(LoginRequiredMixin, DetailView):
    template_name = "assessments/source_detail.html"
    slug_field = "key"
    slug_url_kwarg = "key"
    queryset = Source.objects.all()
