"""Pages anyone can read: published editions only. Drafts and unpublished assessments are 404 here."""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import http_date
from django.views.generic import DetailView, ListView, View

from assessments.models import Edition
from assessments.publishing.exports import FORMATS, edition_export

from .publishing import export_response


def _editions(year: int, country: str):
    return Edition.objects.filter(
        country_assessment__cycle__year=year, country_assessment__country__code=country.upper()
    ).select_related("country_assessment__country", "country_assessment__cycle")


class AnnexListView(ListView):
    """Latest edition of every published annex, grouped by cycle, newest cycle first."""

    template_name = "public/annex_list.html"
    context_object_name = "editions"

    def get_queryset(self):
        return (
            Edition.objects.current()
            .select_related("country_assessment__country", "country_assessment__cycle")
            .only(
                "number",
                "published_at",
                "publication_date",
                "country_assessment__country__code",
                "country_assessment__country__name",
                "country_assessment__cycle__year",
            )
            .order_by("-country_assessment__cycle__year", "country_assessment__country__name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycles"] = [
            (year, list(editions))
            for year, editions in groupby(context["editions"], key=lambda e: e.country_assessment.cycle.year)
        ]
        return context


@dataclass(frozen=True)
class Citation:
    """How to cite an edition, for the "How to cite" block and the Highwire Press meta tags."""

    title: str
    author: str
    date: date
    language: str
    url: str
    pdf_url: str


def edition_citation(request, edition: Edition) -> Citation:
    ca = edition.country_assessment
    year, code = ca.cycle.year, ca.country.code
    return Citation(
        title=f"{ca.country.name}: {ca.cycle.display_title}",
        author=settings.R2P_PUBLISHER,
        date=edition.publication_date,
        language=settings.R2P_ANNEX_LANGUAGE,
        url=request.build_absolute_uri(reverse("public:annex-edition", args=[year, code, edition.number])),
        pdf_url=request.build_absolute_uri(reverse("public:annex-download", args=[year, code, edition.number, "pdf"])),
    )


class AnnexDetailView(DetailView):
    """One edition of an annex (the latest when no number is given), with downloads and edition history."""

    template_name = "public/annex_detail.html"
    context_object_name = "edition"

    def get_object(self, queryset=None):
        editions = _editions(self.kwargs["year"], self.kwargs["country"])
        self.history = list(editions.defer("html", "snapshot").order_by("-number"))
        if not self.history:
            raise Http404("No published annex.")
        number = self.kwargs.get("number") or self.history[0].number
        return get_object_or_404(editions.defer("snapshot"), number=number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.object
        context.update(
            history=self.history,
            latest=self.history[0],
            is_latest=edition.number == self.history[0].number,
            formats=FORMATS.values(),
            country=edition.country_assessment.country,
            cycle=edition.country_assessment.cycle,
            cite=edition_citation(self.request, edition),
            body_has_h1="<h1" in edition.html,  # editions frozen before the annex had its H1 get one here
        )
        return context


class AnnexDownloadView(View):
    """A published edition in one format, rendered from its frozen snapshot."""

    def get(self, request, year: int, country: str, number: int, fmt: str):
        if fmt not in FORMATS:
            raise Http404("Unknown format.")
        edition = get_object_or_404(_editions(year, country), number=number)
        etag = f'"{edition.content_hash}-{fmt}"'
        if request.headers.get("If-None-Match") == etag:
            response = export_response(edition_export(edition, fmt))
            response.status_code = 304
            response.content = b""
            return response
        response = export_response(edition_export(edition, fmt), inline=fmt in ("html", "pdf"))
        response["ETag"] = etag
        response["Last-Modified"] = http_date(edition.published_at.timestamp())
        response["Cache-Control"] = "public, max-age=86400"
        return response
