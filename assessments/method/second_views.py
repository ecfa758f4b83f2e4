"""Pages of second assessments: editors ask for blind ratings and read the agreement; the second researcher rates
blind; the item's reviewer settles a disagreement (from the item's review panel)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from assessments.accounts.services import EDITOR, RESEARCHER, display_name
from assessments.accounts.views import RightRequiredMixin
from assessments.models import AssessmentItem, CountryAssessment, Cycle, Indicator, ItemKind
from assessments.overview.published import latest_editions, published_country
from assessments.workflow import permissions

from .agreement import cycle_agreement
from .forms import SecondRatingForm, SecondRequestForm, SettleForm
from .models import SecondAssessment
from .second import (
    second_assessment_cancel,
    second_assessment_request,
    second_assessment_settle,
    second_assessment_submit,
)


def _cycle(year: int) -> Cycle:
    return get_object_or_404(Cycle.objects.select_related("previous"), year=year)


def blind_raters():
    """Active researchers who are not editors or admins (those see every draft): one query."""
    return (
        User.objects.filter(is_active=True, is_superuser=False, groups__name=RESEARCHER)
        .exclude(groups__name=EDITOR)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class EditorOnly(RightRequiredMixin):
    right = permissions.can_view_agreement
    refusal = "Only editors ask for second assessments and read their agreement."


class SecondRequestView(EditorOnly, View):
    """Editors: pick indicators × countries of the cycle and the researcher who rates them blind."""

    http_method_names = ["get", "post"]

    def setup_lists(self, cycle: Cycle):
        self.indicators = list(Indicator.objects.for_cycle(cycle))
        self.assessments = list(
            CountryAssessment.objects.filter(cycle=cycle).select_related("country").order_by("country__name")
        )
        self.researchers = list(blind_raters())

    def form(self, cycle: Cycle, data=None, initial=None) -> SecondRequestForm:
        return SecondRequestForm(
            data,
            initial=initial,
            researchers=self.researchers,
            indicators=self.indicators,
            countries=[assessment.country for assessment in self.assessments],
        )

    def get(self, request, year: int):
        cycle = _cycle(year)
        self.setup_lists(cycle)
        initial = {
            "indicators": [code.upper() for code in request.GET.getlist("indicator")],
            "countries": [code.upper() for code in request.GET.getlist("country")],
        }
        return self.render(request, cycle, self.form(cycle, initial=initial))

    def render(self, request, cycle: Cycle, form: SecondRequestForm, status: int = 200):
        context = {"cycle": cycle, "form": form, "has_countries": bool(self.assessments)}
        return TemplateResponse(request, "method/second_request.html", context, status=status)

    def post(self, request, year: int):
        cycle = _cycle(year)
        self.setup_lists(cycle)
        form = self.form(cycle, data=request.POST)
        if not form.is_valid():
            return self.render(request, cycle, form, status=400)
        researcher = next(user for user in self.researchers if user.pk == form.cleaned_data["researcher"])
        items = list(
            AssessmentItem.objects.filter(
                country_assessment__cycle=cycle,
                country_assessment__country__code__in=form.cleaned_data["countries"],
                kind=ItemKind.INDICATOR,
                indicator__code__in=form.cleaned_data["indicators"],
            )
        )
        try:
            created, skipped = second_assessment_request(items=items, researcher=researcher, user=request.user)
        except ValidationError as refused:
            form.add_error(None, refused)
            return self.render(request, cycle, form, status=400)
        name = display_name(researcher)
        text = f"{name} is asked for {len(created)} blind rating{'s' if len(created) != 1 else ''}."
        if skipped:
            text += f" {len(skipped)} already had a second assessment in progress: " + ", ".join(
                str(item) for item in skipped[:10]
            )
        messages.success(request, text)
        return redirect("method-agreement", cycle.year)


class AgreementView(EditorOnly, View):
    """Editors: exact agreement and weighted kappa per indicator, per researcher pair and overall; disagreements
    with their settling; blind ratings still to give."""

    http_method_names = ["get"]

    def get(self, request, year: int):
        cycle = _cycle(year)
        return TemplateResponse(request, "method/agreement.html", {"cycle": cycle, "agreement": cycle_agreement(cycle)})


def _second_for(pk: int) -> SecondAssessment:
    return get_object_or_404(
        SecondAssessment.objects.select_related(
            "item__indicator__thematic_area",
            "item__indicator__guidance",
            "item__country_assessment__country",
            "item__country_assessment__cycle__previous",
            "requested_by",
        ),
        pk=pk,
    )


def published_previous(item: AssessmentItem):
    """The same indicator in the country's latest published edition of the previous cycle (public data; one query),
    or None."""
    cycle = item.country_assessment.cycle
    if cycle.previous_id is None:
        return None
    edition = (
        latest_editions()
        .filter(
            country_assessment__country_id=item.country_assessment.country_id,
            country_assessment__cycle_id=cycle.previous_id,
        )
        .select_related("country_assessment__country", "country_assessment__cycle")
        .defer("html")
        .first()
    )
    if edition is None:
        return None
    country = published_country(edition)
    return {"country": country, "indicator": country.indicator(item.indicator.code)}


class SecondRatingView(LoginRequiredMixin, View):
    """The blind rating form: the indicator, its codebook guidance, the coverage period and the previous cycle's
    published rating; never the first rating, the item's notes or its history."""

    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.second = _second_for(kwargs["pk"])
        if self.second.researcher_id != request.user.pk:
            raise PermissionDenied("This blind rating was asked of someone else.")
        return super().dispatch(request, *args, **kwargs)

    def render(self, request, form=None, status=200):
        second = self.second
        context = {
            "second": second,
            "item": second.item,
            "indicator": second.item.indicator,
            "cycle": second.item.country_assessment.cycle,
            "country": second.item.country_assessment.country,
            "form": form or SecondRatingForm(),
            "can_rate": permissions.can_give_second_rating(request.user, second),
            "previous": published_previous(second.item),
        }
        return TemplateResponse(request, "method/second_rating.html", context, status=status)

    def get(self, request, pk: int):
        return self.render(request)

    def post(self, request, pk: int):
        form = SecondRatingForm(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        try:
            second_assessment_submit(
                second=self.second,
                user=request.user,
                rating=form.cleaned_data["rating"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as refused:
            form.add_error(None, refused)
            return self.render(request, form, status=400)
        messages.success(request, f"Your blind rating of {self.second.item} is recorded. Thank you.")
        return redirect("dashboard")


class SecondSettleView(LoginRequiredMixin, View):
    """POST only, from the item's review panel: the reviewer (or an editor) settles a disagreement."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        second = _second_for(pk)
        item = second.item
        if not permissions.can_view_assessment(request.user, item.country_assessment):
            raise PermissionDenied("You are not assigned to this country assessment.")
        form = SettleForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose the rating you settle on.")
            return redirect(item.get_absolute_url() + "#second-assessment")
        try:
            second_assessment_settle(
                second=second, user=request.user, rating=form.cleaned_data["rating"], note=form.cleaned_data["note"]
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, "The second assessment is settled; the researchers are told in a comment.")
        return redirect(item.get_absolute_url() + "#second-assessment")


class SecondCancelView(EditorOnly, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        second = _second_for(pk)
        try:
            second_assessment_cancel(second=second, user=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, f"The blind rating of {second.item} is cancelled.")
        return redirect(reverse("method-agreement", args=[second.item.country_assessment.cycle.year]) + "#requested")
