"""The cycle page: every country assessment of a cycle (workflow pages are in workflow.py)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from assessments.models import Cycle
from assessments.overview.staff import visible_assessments
from assessments.services.permissions import is_editor
from assessments.services.scoring import assessment_scores


class CycleDetailView(LoginRequiredMixin, ListView):
    """Every country assessment of a cycle with its score and workflow progress."""

    template_name = "assessments/cycle_detail.html"
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
        context["cycles"] = Cycle.objects.order_by("-year")
        return context
