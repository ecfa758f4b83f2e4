"""Staff publishing: the publish transition and draft previews of the annex in every format."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from assessments.background.ratelimit import draft_render_allowed
from assessments.models import CountryAssessment
from assessments.publishing.annex import annex_build
from assessments.publishing.exports import FORMATS, Export, annex_export
from assessments.publishing.html import annex_css_source_hash
from assessments.services.publishing import annex_publish, can_preview_draft


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


class PublishView(LoginRequiredMixin, View):
    """POST only: publish the next edition (errata required from v2 on)."""

    http_method_names = ["post"]

    def post(self, request, year: int, country: str):
        assessment = country_assessment_or_404(year, country)
        try:
            edition = annex_publish(
                country_assessment=assessment, user=request.user, errata=request.POST.get("errata", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Published {assessment} as edition {edition.number}.")
        return redirect(assessment)


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
