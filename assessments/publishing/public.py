"""Pages anyone can read: published editions only. Drafts and unpublished assessments are 404 here."""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.generic import DetailView, ListView, View

from assessments.background.files import (
    edition_file_links,
    edition_file_ready,
    edition_file_response,
    edition_files_enqueue,
    not_modified_response,
)
from assessments.models import Edition
from assessments.publishing.exports import FORMATS
from assessments.publishing.html import annex_css_source_hash


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
        self.history = list(editions.select_related("original").defer("html", "snapshot").order_by("-number"))
        if not self.history:
            raise Http404("No published annex.")
        number = self.kwargs.get("number") or self.history[0].number
        return get_object_or_404(editions.select_related("original").defer("snapshot"), number=number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.object
        links = edition_file_links(edition)  # format → its hashed, cacheable-for-ever URL, once stored whole
        context.update(
            history=self.history,
            latest=self.history[0],
            is_latest=edition.number == self.history[0].number,
            formats=FORMATS.values(),
            ready=links,
            downloads=[(fmt, links.get(fmt.name)) for fmt in FORMATS.values()],
            country=edition.country_assessment.country,
            cycle=edition.country_assessment.cycle,
            cite=edition_citation(self.request, edition),
            body_has_h1="<h1" in edition.html,  # editions frozen before the annex had its H1 get one here
        )
        return context


class AnnexDownloadView(View):
    """A published edition in one format, from storage (rendered by a background task, never by a request)."""

    def get(self, request, year: int, country: str, number: int, fmt: str):
        if fmt not in FORMATS:
            raise Http404("Unknown format.")
        edition = get_object_or_404(_editions(year, country).defer("html", "snapshot"), number=number)
        etag = f'"{edition.content_hash}-{fmt}"'
        if not_modified := not_modified_response(request, etag):
            return not_modified
        filename = f"r2p-annex-{year}-{edition.country_assessment.country.code}-v{number}.{fmt}"
        response = self._stored(edition, fmt, filename, etag)
        if response is None:
            # Ask the worker (once); a backend that runs tasks in this process (tests) has rendered it now.
            edition_files_enqueue(edition, [fmt], on_commit=False)
            response = self._stored(edition, fmt, filename, etag)
        if response is None:
            response = render(
                request,
                "public/annex_preparing.html",
                {
                    "edition": edition,
                    "format": FORMATS[fmt],
                    "country": edition.country_assessment.country,
                    "cycle": edition.country_assessment.cycle,
                },
                status=503,
            )
            response["Retry-After"] = "30"
            response["Cache-Control"] = "no-store"
            return response
        if fmt == "html":
            # The standalone document embeds its stylesheet; allow exactly that stylesheet, nothing else inline.
            response._csp_update = {"style-src": [annex_css_source_hash()]}
        return response

    def _stored(self, edition, fmt: str, filename: str, etag: str):
        record = edition_file_ready(edition, fmt)
        if record is None:
            return None
        return edition_file_response(
            record, filename=filename, inline=fmt in ("html", "pdf"), etag=etag, last_modified=edition.published_at
        )


class AnnexOriginalView(View):
    """The original publication an imported edition was read from (the archive import), from storage: a
    download named after the edition, cacheable for ever (its name and ETag hold the file's SHA-256)."""

    def get(self, request, year: int, country: str, number: int):
        from assessments.archive.originals import download_name

        edition = get_object_or_404(
            _editions(year, country).select_related("original").defer("html", "snapshot"), number=number
        )
        original = getattr(edition, "original", None)
        if original is None:
            raise Http404("This edition was not imported from an original file.")
        etag = f'"{original.sha256[:32]}"'
        if not_modified := not_modified_response(request, etag):
            return not_modified
        response = edition_file_response(
            original, filename=download_name(original), inline=False, etag=etag, last_modified=edition.published_at
        )
        if response is None:
            raise Http404("The original file is missing from storage.")
        return response
