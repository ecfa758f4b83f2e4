"""Staff pages of the regional overview: all country assessments of a cycle side by side (live data)."""

from collections import Counter
from collections.abc import Iterable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView, View

from assessments.citations.render import keys_in, load_sources
from assessments.method.regions import region_names, region_of
from assessments.models import Cycle, Indicator, Rating
from assessments.overview.charts import distribution_chart, score_chart
from assessments.overview.grid import RATING_SHORT, TREND_MARKS, sort_links, sort_rows
from assessments.overview.staff import (
    PER_PAGE,
    STAGE_ORDER,
    Stage,
    cycle_grid,
    cycle_overview,
    grid_assessments,
    indicator_across_countries,
    overview_scores,
    paginate,
    region_counts,
)
from assessments.querystring import code_param, text_param
from assessments.workflow.permissions import is_editor

OVERVIEW_SORTS = {
    "country": lambda row: row.country.name.casefold(),
    "stage": lambda row: STAGE_ORDER[row.stage],
    "progress": lambda row: row.progress,
    "score": lambda row: row.score,
    "previous": lambda row: row.previous_score,
    "change": lambda row: row.change,
    "edition": lambda row: row.assessment.latest_edition,
}
# The direction a first click on a column header sorts in: the interesting end first.
OVERVIEW_FIRST = {
    "country": "",
    "stage": "",
    "progress": "-",
    "score": "-",
    "previous": "-",
    "change": "-",
    "edition": "-",
}
# Sorting by these needs every row's score; the other sorts score only the rows of the page shown.
SCORE_SORTS = {"score", "previous", "change"}
INDICATOR_SORTS = {
    "country": lambda row: row.item.country_assessment.country.name.casefold(),
    "rating": lambda row: -row.item.points if row.item.rating else None,
}


def legend_context() -> dict:
    """Rating and trend keys shared by heatmaps and charts."""
    return {
        "legend_ratings": [(rating, RATING_SHORT[rating.value]) for rating in Rating.strongest_first()],
        "legend_trends": [
            ("Increase", TREND_MARKS["increase"]),
            ("Decrease", TREND_MARKS["decrease"]),
            ("Unchanged", TREND_MARKS["unchanged"]),
            ("New", TREND_MARKS["new"]),
        ],
    }


def rating_counts(ratings: Iterable[str]) -> list[tuple[Rating, int]]:
    """How many of each rating, strongest first."""
    counts = Counter(rating for rating in ratings if rating)
    return [(rating, counts[rating.value]) for rating in Rating.strongest_first()]


class LatestOverviewView(LoginRequiredMixin, View):
    """The nav's "Overview": the newest cycle's overview."""

    def get(self, request):
        year = Cycle.objects.order_by("-year").values_list("year", flat=True).first()
        if year is None:
            raise Http404("No cycle exists yet.")
        return redirect("cycle-overview", year)


class CyclePageMixin(LoginRequiredMixin):
    section = ""

    def get_cycle(self) -> Cycle:
        if not hasattr(self, "cycle"):
            self.cycle = get_object_or_404(Cycle.objects.select_related("previous"), year=self.kwargs["year"])
        return self.cycle

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cycle=self.get_cycle(),
            cycles=Cycle.objects.order_by("-year").values_list("year", flat=True),
            section=self.section,
        )
        return context


def region_param(value) -> str:
    """A UN sub-region name from the query string (method.regions), or "" for any other value."""
    return value if value in region_names() else ""


def paging_context(request, page, total: int, region: str) -> dict:
    """The pager and region filter of a page of countries: only once the cycle has more countries than a page
    (or a region is chosen), so a cycle of up to PER_PAGE countries looks as it always did. The whole cycle
    stays one download away for those who may export data."""
    return {
        "page_obj": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "paged": total > PER_PAGE or bool(region),
        "selected_region": region,
        "can_export": is_editor(request.user),  # the data pages' own check (groups are cached: no query)
    }


class CycleOverviewView(CyclePageMixin, TemplateView):
    """Every country assessment with stage, progress, assignees and scores; sortable, filterable, paged."""

    template_name = "overview/cycle_overview.html"
    section = "overview"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stage = self.request.GET.get("status", "")
        stage = stage if stage in Stage.values else ""
        assignee = text_param(self.request.GET.get("assignee"), max_length=150)
        region = region_param(self.request.GET.get("region", ""))
        requested_sort = self.request.GET.get("sort", "")
        scored = requested_sort.lstrip("-") in SCORE_SORTS  # else only the page's rows are scored
        overview = cycle_overview(
            cycle=self.get_cycle(),
            user=self.request.user,
            stage=stage,
            assignee=assignee,
            region=region,
            scored=scored,
        )
        rows, sort = sort_rows(overview.rows, requested_sort, OVERVIEW_SORTS, "country")
        page = paginate(rows, self.request.GET.get("page"))
        if not scored:
            overview_scores(page.object_list)
        context.update(
            overview=overview,
            rows=page.object_list,
            sort=sort,
            sorts=sort_links(sort, OVERVIEW_FIRST),
            stages=Stage.choices,
            selected_stage=stage,
            selected_assignee=assignee,
            regions=overview.regions,
            **paging_context(self.request, page, overview.total, region),
        )
        return context


class CycleHeatmapView(CyclePageMixin, TemplateView):
    """Countries × indicators, coloured by live rating, each cell a link to the indicator assessment."""

    template_name = "overview/heatmap.html"
    section = "heatmap"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle, user = self.get_cycle(), self.request.user
        region = region_param(self.request.GET.get("region", ""))
        visible = grid_assessments(cycle=cycle, user=user)
        selected = [a for a in visible if not region or region_of(a.country.code) == region]
        page = paginate(selected, self.request.GET.get("page"))
        grid = cycle_grid(cycle=cycle, user=user, assessments=page.object_list)  # cells of this page only
        context.update(
            heatmap=grid.heatmap,
            regions=region_counts([assessment.country.code for assessment in visible]),
            **paging_context(self.request, page, len(visible), region),
            **legend_context(),
        )
        return context


class CycleChartsView(CyclePageMixin, TemplateView):
    """Scores per country (past a page of countries, of the region chosen) and ratings by area (whole cycle)."""

    template_name = "overview/charts.html"
    section = "charts"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.get_cycle()
        region = region_param(self.request.GET.get("region", ""))
        grid = cycle_grid(cycle=cycle, user=self.request.user)  # every visible country, for the distributions
        rows = grid.heatmap.rows
        shown = [row for row in rows if not region or region_of(row.code) == region]  # no query: same count
        context.update(
            score_chart=score_chart(
                shown, year=cycle.year, previous_year=cycle.previous.year if cycle.previous else None
            ),
            distribution_chart=distribution_chart(grid.distributions),
            distributions=grid.distributions,
            countries=len(rows),
            countries_shown=len(shown),
            regions=region_counts([row.code for row in rows]),
            selected_region=region,
            region_filter=len(rows) > PER_PAGE or bool(region),  # as the paged overview and heatmap
        )
        return context


class CycleIndicatorView(CyclePageMixin, TemplateView):
    """One indicator across all countries: ratings, trends and notes side by side for consistency review."""

    template_name = "overview/indicator.html"
    section = "indicators"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.get_cycle()
        indicators = list(Indicator.objects.for_cycle(cycle))
        code = self.kwargs["code"].upper()
        position = next((index for index, indicator in enumerate(indicators) if indicator.code == code), None)
        if position is None:
            raise Http404(f"No indicator {code} in {cycle.year}.")
        indicator = indicators[position]
        rows = indicator_across_countries(cycle=cycle, indicator=indicator, user=self.request.user)
        rows, sort = sort_rows(rows, self.request.GET.get("sort", ""), INDICATOR_SORTS, "country")
        counts = rating_counts(row.item.rating for row in rows)
        sources = load_sources(keys_in(row.item.notes for row in rows))  # one query for every row's citations
        context.update(
            indicator=indicator,
            indicators=indicators,
            previous_indicator=indicators[position - 1] if position else None,
            next_indicator=indicators[position + 1] if position + 1 < len(indicators) else None,
            rows=rows,
            sources=sources,
            sort=sort,
            counts=counts,
            disagreements=sum(1 for row in rows if row.trend_disagrees),
            has_previous=any(row.previous_rating for row in rows),
        )
        return context


class CycleIndicatorRedirectView(LoginRequiredMixin, View):
    """The indicator picker's GET form lands here and goes to the chosen indicator's page."""

    def get(self, request, year: int):
        code = code_param(request.GET.get("code"))
        if not code:
            return redirect("cycle-overview", year)
        return redirect("cycle-indicator", year, code)
