"""Public regional overview, open data downloads and the read-only JSON API.

Everything here is built from `Edition.snapshot` (latest edition per country assessment) and nothing else,
so drafts never show: see assessments/overview/published.py.
"""

from django.db.models.fields.json import KeyTransform
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView, View

from assessments.models import Cycle, Edition
from assessments.overview.charts import distribution_chart, score_chart
from assessments.overview.grid import sort_links, sort_rows
from assessments.overview.opendata import edition_document, published_csv, published_json
from assessments.overview.published import (
    annex_url,
    latest_editions,
    published_columns,
    published_countries,
    published_cycles,
    published_distributions,
    published_heatmap,
    score_rows,
)
from assessments.overview.views import legend_context, rating_counts
from assessments.querystring import code_param, int_param
from assessments.rendering import sanitize_html

REGIONAL_SORTS = {
    "country": lambda country: country.name.casefold(),
    "score": lambda country: country.score,
    "previous": lambda country: country.previous_score,
    "change": lambda country: country.score_change,
    "edition": lambda country: country.edition,
}
REGIONAL_FIRST = {"country": "", "score": "-", "previous": "-", "change": "-", "edition": "-"}
JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}


def _open_data(response: HttpResponse, *, max_age: int = 300) -> HttpResponse:
    """Anyone may read and reuse published data, from any site."""
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


class RegionalLatestView(View):
    """The nav's "Regional overview": the newest cycle with something published (else the newest cycle)."""

    def get(self, request):
        year = published_cycles().values_list("year", flat=True).first()
        if year is None:
            year = Cycle.objects.order_by("-year").values_list("year", flat=True).first()
        if year is None:
            raise Http404("No cycle exists yet.")
        return redirect("public:regional", year)


class RegionalPageMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.cycle = get_object_or_404(Cycle.objects.select_related("previous"), year=self.kwargs["year"])
        self.countries = published_countries(self.cycle)
        context.update(
            cycle=self.cycle,
            cycles=published_cycles().values_list("year", flat=True),
            countries=self.countries,
        )
        return context


class RegionalView(RegionalPageMixin, TemplateView):
    """Where the region stands: scores, charts and the heatmap of every published country of a cycle."""

    template_name = "overview/regional.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle, countries = self.cycle, self.countries
        rows, sort = sort_rows(countries, self.request.GET.get("sort", ""), REGIONAL_SORTS, "country")
        scored = [country.score for country in countries if country.score is not None]
        context.update(
            rows=rows,
            sort=sort,
            sorts=sort_links(sort, REGIONAL_FIRST),
            average_score=round(sum(scored) / len(scored)) if scored else None,
            heatmap=published_heatmap(cycle, countries),
            score_chart=score_chart(
                score_rows(countries),
                year=cycle.year,
                previous_year=cycle.previous.year if cycle.previous else None,
            ),
            distribution_chart=distribution_chart(published_distributions(countries)),
            **legend_context(),
        )
        return context


class RegionalIndicatorView(RegionalPageMixin, TemplateView):
    """One indicator in every published annex of a cycle: ratings, trends and notes side by side."""

    template_name = "overview/regional_indicator.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.kwargs["code"].upper()
        columns = published_columns(self.countries, self.cycle.year)
        column = next((column for column in columns if column.code == code), None)
        if column is None:
            raise Http404(f"No published assessment of {code} in {self.cycle.year}.")
        position = columns.index(column)
        rows = []
        for country in self.countries:
            indicator = country.indicator(code)
            if indicator is None:
                continue
            rows.append(
                {
                    "country": country,
                    "indicator": indicator,
                    # Sanitised when frozen; sanitised again here because it is marked safe.
                    "notes_html": mark_safe(sanitize_html(indicator.notes_html)),
                    "footnotes": [
                        (number, country.footnotes[number])
                        for number in indicator.footnotes
                        if number in country.footnotes
                    ],
                }
            )
        context.update(
            column=column,
            columns=columns,
            previous_column=columns[position - 1] if position else None,
            next_column=columns[position + 1] if position + 1 < len(columns) else None,
            rows=rows,
            counts=rating_counts(row["indicator"].rating for row in rows),
        )
        return context


def _cycle_countries(year: int):
    cycle = get_object_or_404(Cycle, year=year)
    return cycle, published_countries(cycle)


class RegionalCsvView(View):
    def get(self, request, year: int):
        cycle, countries = _cycle_countries(year)
        response = HttpResponse(published_csv(countries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="r2p-{cycle.year}-published-ratings.csv"'
        return _open_data(response)


class RegionalJsonView(View):
    def get(self, request, year: int):
        cycle, countries = _cycle_countries(year)
        links = {
            "html": request.build_absolute_uri(reverse("public:regional", args=[cycle.year])),
            "csv": request.build_absolute_uri(reverse("public:regional-csv", args=[cycle.year])),
            "api": request.build_absolute_uri(reverse("public:api-editions")) + f"?cycle={cycle.year}",
        }
        response = JsonResponse(published_json(cycle.year, countries, links=links), json_dumps_params=JSON_OPTIONS)
        response["Content-Disposition"] = f'attachment; filename="r2p-{cycle.year}-published-ratings.json"'
        return _open_data(response)


def _not_found(message: str) -> JsonResponse:
    return _open_data(JsonResponse({"detail": message}, status=404), max_age=60)


def _edition_links(request, year: int, code: str, number: int, annex: str | None) -> dict[str, str | None]:
    return {
        "self": request.build_absolute_uri(reverse("public:api-edition-latest", args=[year, code])),
        "edition": request.build_absolute_uri(reverse("public:api-edition", args=[year, code, number])),
        "annex": request.build_absolute_uri(annex) if annex else None,
        "regional": request.build_absolute_uri(reverse("public:regional", args=[year])),
    }


class EditionListApi(View):
    """GET /api/v1/editions/[?cycle=YEAR][&country=CODE]: the latest published edition of each annex."""

    def get(self, request):
        editions = (
            latest_editions()
            .select_related("country_assessment__country", "country_assessment__cycle")
            .only(
                "number",
                "published_at",
                "country_assessment__country__code",
                "country_assessment__country__name",
                "country_assessment__cycle__year",
            )
            .annotate(
                snapshot_country=KeyTransform("country", "snapshot"),
                snapshot_score=KeyTransform("score", "snapshot"),
                snapshot_previous_score=KeyTransform("previous_score", "snapshot"),
                snapshot_score_change=KeyTransform("score_change", "snapshot"),
            )
            .order_by("-country_assessment__cycle__year", "country_assessment__country__name")
        )
        cycle = request.GET.get("cycle", "").strip()
        if cycle:
            year = int_param(cycle, minimum=1, maximum=9999)
            if year is None:
                return _open_data(JsonResponse({"detail": "cycle must be a year"}, status=400), max_age=60)
            editions = editions.filter(country_assessment__cycle__year=year)
        country = request.GET.get("country", "").strip()
        if country:
            country = code_param(country, max_length=3)
            if not country:
                return _open_data(
                    JsonResponse({"detail": "country must be an ISO alpha-3 code"}, status=400), max_age=60
                )
            editions = editions.filter(country_assessment__country__code=country)
        results = []
        for edition in editions:
            assessment = edition.country_assessment
            year, code = assessment.cycle.year, assessment.country.code
            snapshot_country = edition.snapshot_country if isinstance(edition.snapshot_country, dict) else {}
            results.append(
                {
                    "country": {"code": code, "name": snapshot_country.get("name") or assessment.country.name},
                    "cycle": year,
                    "edition": edition.number,
                    "published_at": edition.published_at,
                    "score": edition.snapshot_score,
                    "previous_score": edition.snapshot_previous_score,
                    "score_change": edition.snapshot_score_change,
                    "links": _edition_links(request, year, code, edition.number, annex_url(edition)),
                }
            )
        return _open_data(JsonResponse({"count": len(results), "results": results}, json_dumps_params=JSON_OPTIONS))


class EditionDetailApi(View):
    """GET /api/v1/editions/<year>/<CODE>/ (latest) and …/v<n>/: one edition's frozen snapshot."""

    def get(self, request, year: int, code: str, number: int | None = None):
        code = code.upper()
        editions = Edition.objects.select_related("country_assessment__country", "country_assessment__cycle").filter(
            country_assessment__cycle__year=year, country_assessment__country__code=code
        )
        editions = editions.filter(number=number) if number is not None else editions.order_by("-number")
        edition = editions.defer("html").first()
        if edition is None:
            return _not_found(f"No published edition of {code} {year}" + (f" v{number}" if number else "") + ".")
        links = _edition_links(request, year, code, edition.number, annex_url(edition))
        response = JsonResponse(edition_document(edition, links=links), json_dumps_params=JSON_OPTIONS)
        # A numbered edition never changes; "latest" changes when a new edition is published.
        return _open_data(response, max_age=86400 if number is not None else 300)
