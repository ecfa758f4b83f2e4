"""The cycle page: every country assessment of a cycle (workflow pages are in workflow.py)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import ListView

from assessments.framework.scoring import assessment_scores
from assessments.models import Cycle
from assessments.overview.staff import visible_assessments
from assessments.workflow.forms import AddCountriesForm
from assessments.workflow.items import country_assessments_add
from assessments.workflow.permissions import can_add_countries, can_open_cycle, is_editor


class CycleDetailView(LoginRequiredMixin, ListView):
    """Every country assessment of a cycle with its score and workflow progress."""

    template_name = "workflow/cycle_detail.html"
    context_object_name = "assessments"

    def get_queryset(self):
        self.cycle = get_object_or_404(Cycle.objects.select_related("previous"), year=self.kwargs["year"])
        # Live scores and progress come from drafts: editors and admins see every assessment, others their own.
        return (
            visible_assessments(self.request.user, self.cycle)
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
        context["all_visible"] = is_editor(self.request.user)
        context["cycles"] = list(Cycle.objects.order_by("-year"))
        context["has_next_cycle"] = any(cycle.previous_id == self.cycle.pk for cycle in context["cycles"])
        if can_add_countries(self.request.user):
            context["add_form"] = AddCountriesForm(cycle=self.cycle)
        context["can_open_cycle"] = can_open_cycle(self.request.user)
        return context


class CycleAddCountriesView(LoginRequiredMixin, View):
    """Editors start the assessments of one or many countries in a cycle, each with all its items."""

    http_method_names = ["post"]

    def post(self, request, year: int):
        cycle = get_object_or_404(Cycle.objects.select_related("previous"), year=year)
        if not can_add_countries(request.user):
            raise PermissionDenied("Only editors and admins add countries to a cycle.")
        form = AddCountriesForm(request.POST, cycle=cycle)
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors()) or "Check the countries you named.")
            return redirect(cycle.get_absolute_url() + "#add-countries")
        try:
            added = country_assessments_add(cycle=cycle, countries=form.cleaned_data["country_list"], user=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect(cycle.get_absolute_url() + "#add-countries")
        names = ", ".join(assessment.country.name for assessment in added)
        messages.success(request, f"Added to {cycle.year}, each with its overview, indicators and conclusion: {names}.")
        return redirect(cycle.get_absolute_url())
