"""Staff publishing: the publish transition and draft previews of the annex in every format."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views import View

from assessments.background.ratelimit import draft_render_allowed
from assessments.models import CountryAssessment
from assessments.publishing.annex import annex_build
from assessments.publishing.exports import FORMATS, Export, annex_export
from assessments.publishing.html import annex_css_source_hash
from assessments.publishing.services import (
    annex_publish,
    can_preview_draft,
    can_publish,
    edition_changes,
    publish_blockers,
    trend_problems,
)


def country_assessment_or_404(year: int, country: str) -> CountryAssessment:
    return get_object_or_404(
        CountryAssessment.objects.select_related("country", "cycle__previous"),
        cycle__year=year,
        country__code=country.upper(),
    )


def export_response(export: Export, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if export.content_type.startswith("text/html"):
        # The standalone document embeds its stylesheet; allow exactly that stylesheet, nothing else inline.
        response._csp_update = {"style-src": [annex_css_source_hash()]}
    return response


def _posted_date(value: str) -> date | None:
    """An <input type=date> value (YYYY-MM-DD), or None when empty."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError({"publication_date": "Enter the publication date as YYYY-MM-DD."}) from None


class PublishView(LoginRequiredMixin, View):
    """The last step before an irreversible publication: what the next edition changes against the latest one,
    what still blocks it (with links), trends that need a reason; POST publishes (errata required from v2 on)."""

    template_name = "publishing/publish_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = country_assessment_or_404(kwargs["year"], kwargs["country"])
        if not can_publish(request.user):
            raise PermissionDenied("Only editors and administrators publish annexes.")
        if self.assessment.legacy_score is not None:
            raise Http404("This assessment holds a legacy score only.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, year: int, country: str):
        return self.render(request)

    def post(self, request, year: int, country: str):
        errata, trend_reason = request.POST.get("errata", ""), request.POST.get("trend_reason", "")
        try:
            edition = annex_publish(
                country_assessment=self.assessment,
                user=request.user,
                errata=errata,
                trend_reason=trend_reason,
                publication_date=_posted_date(request.POST.get("publication_date", "")),
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"general": error.messages}
            context = {
                "errata": errata,
                "trend_reason": trend_reason,
                "publication_date": request.POST.get("publication_date", ""),
            }
            return self.render(request, errors=errors, status=400, **context)
        messages.success(request, f"Published {self.assessment} as edition {edition.number}.")
        return redirect(self.assessment)

    def render(
        self, request, *, errors=None, errata="", trend_reason="", publication_date="", status=200
    ) -> TemplateResponse:
        assessment = self.assessment
        changes = edition_changes(assessment)
        context = {
            "assessment": assessment,
            "blockers": publish_blockers(assessment),
            "trend_problems": trend_problems(assessment),
            "changes": changes,
            "next_number": (changes.previous_number or 0) + 1,
            "errors": errors or {},
            "errata": errata,
            "trend_reason": trend_reason,
            "publication_date": publication_date[:10],
        }
        return TemplateResponse(request, self.template_name, context, status=status)


class DraftExportView(LoginRequiredMixin, View):
    """The current text as an annex, watermarked DRAFT, for editors, admins and assigned staff."""

    def get(self, request, year: int, country: str, fmt: str):
        if fmt not in FORMATS:
            raise Http404("Unknown format.")
        assessment = country_assessment_or_404(year, country)
        if not can_preview_draft(request.user, assessment):
            raise PermissionDenied("Only editors and the people assigned to this assessment see its drafts.")
        if not assessment.items.exists():
            raise Http404("This assessment has no items (legacy score only).")
        if not draft_render_allowed(request.user):
            response = HttpResponse("Too many draft previews in a minute; try again shortly.\n", status=429)
            response["Retry-After"] = "60"
            return response
        export = annex_export(annex_build(assessment), fmt)
        response = export_response(export, inline=fmt == "html")
        response["Cache-Control"] = "private, no-store"
        return response
