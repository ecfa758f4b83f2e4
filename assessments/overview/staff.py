"""Live data for staff: the country assessments a user may see, with their items as they are now (drafts too)."""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse

from assessments.accounts.services import display_name
from assessments.framework.scoring import ScoreSummary, assessment_scores, derive_trend
from assessments.method.regions import region_names, region_of
from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    CountryAssessment,
    Cycle,
    Edition,
    Indicator,
    ItemKind,
    Rating,
)
from assessments.workflow.permissions import is_editor
from assessments.workflow.previous import previous_cycle_items

from .grid import Cell, Column, Distribution, Heatmap, Row, area_groups, distributions


class Stage(models.TextChoices):
    """Where a whole country assessment stands, derived from its items' statuses."""

    NOT_STARTED = "not_started", "Not started"
    DRAFTING = "drafting", "Drafting"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved, not published"
    PUBLISHED = "published", "Published"
    LEGACY = "legacy", "Legacy (score only)"


STAGE_ORDER = {stage.value: position for position, stage in enumerate(Stage)}
ITEM_SLOT = "ITEM-0"  # stands in for an indicator code when reversing the item URL once per country
# Countries per page of the overview and the heatmap: a cycle of up to 50 countries (every cycle so far) is one
# page and looks as it always did; 193 UN members × 36 indicators on one screen is unreadable and slow to render.
PER_PAGE = 50


def paginate(rows: list, number) -> Page:
    """The page `number` (a query-string value; out of range or invalid → the nearest valid page) of a list."""
    return Paginator(rows, PER_PAGE).get_page(number)


def region_counts(country_codes: list[str]) -> list[tuple[str, int]]:
    """UN sub-regions (method.regions) with how many of these countries each holds, in the list's order."""
    counts = dict.fromkeys(region_names(), 0)
    for code in country_codes:
        counts[region_of(code)] += 1
    return [(name, count) for name, count in counts.items() if count]


def visible_assessments(user, cycle: Cycle) -> QuerySet[CountryAssessment]:
    """The cycle's country assessments the user may see: all for editors and admins, else their assignments.

    The queryset form of `permissions.can_view_assessment`, so a list costs one query whatever its length.
    """
    assessments = CountryAssessment.objects.for_cycle(cycle)
    if is_editor(user):
        return assessments
    return assessments.filter(pk__in=Assignment.objects.filter(user=user).values("country_assessment"))


def stage_of(assessment: CountryAssessment) -> Stage:
    """Needs the `with_progress()` counts and a `latest_edition` annotation."""
    if not assessment.items_total:
        return Stage.LEGACY
    if assessment.items_approved == assessment.items_total:
        return Stage.PUBLISHED if assessment.latest_edition else Stage.APPROVED
    if assessment.items_changes_requested:
        return Stage.CHANGES_REQUESTED
    if assessment.items_in_review:
        return Stage.IN_REVIEW
    if assessment.items_drafted or assessment.items_approved:
        return Stage.DRAFTING
    return Stage.NOT_STARTED


PROGRESS_WIDTH = 120
# Indicators of an assessment per rating, as `rated_<value>` annotations (one aggregate with the progress counts).
RATING_COUNTS = {
    f"rated_{value}": Count("items", filter=Q(items__kind=ItemKind.INDICATOR, items__rating=value))
    for value in Rating.values
}


@dataclass(frozen=True)
class ProgressSegment:
    status: str
    label: str
    count: int
    x: float
    width: float


@dataclass
class OverviewRow:
    assessment: CountryAssessment
    stage: Stage
    researchers: list[User] = field(default_factory=list)
    reviewers: list[User] = field(default_factory=list)
    scores: ScoreSummary | None = None

    @property
    def country(self):
        return self.assessment.country

    @property
    def score(self) -> int | None:
        if self.scores and self.scores.score is not None:
            return self.scores.score
        return self.assessment.legacy_score

    @property
    def previous_score(self) -> int | None:
        return self.scores.previous_score if self.scores else None

    @property
    def change(self) -> int | None:
        return self.scores.change if self.scores else None

    @property
    def progress(self) -> float | None:
        total = self.assessment.items_total
        return self.assessment.items_approved / total if total else None

    @property
    def assignees(self) -> list[User]:
        return self.researchers + self.reviewers

    @property
    def progress_segments(self) -> list[ProgressSegment]:
        """The approved / in review / returned / drafted shares as bar segments PROGRESS_WIDTH wide."""
        assessment = self.assessment
        total = assessment.items_total
        if not total:
            return []
        parts = [
            ("approved", "approved", assessment.items_approved),
            ("in_review", "in review", assessment.items_in_review),
            ("changes_requested", "returned", assessment.items_changes_requested),
            ("draft", "drafted", assessment.items_drafted),
        ]
        segments, done = [], 0
        for status, label, count in parts:
            if count:
                x = PROGRESS_WIDTH * done / total
                done += count
                segments.append(
                    ProgressSegment(status, label, count, round(x, 2), round(PROGRESS_WIDTH * done / total - x, 2))
                )
        return segments


@dataclass
class Overview:
    rows: list[OverviewRow]
    stage_counts: list[tuple[Stage, int]]
    assignees: list[User]
    regions: list[tuple[str, int]] = field(default_factory=list)  # of every visible assessment, before filters
    total: int = 0  # visible assessments before filters


def cycle_overview(
    *, cycle: Cycle, user, stage: str = "", assignee: str = "", region: str = "", scored: bool = True
) -> Overview:
    """Every visible country assessment of a cycle with stage, progress, assignees and (`scored`) scores
    (5 queries; 3 without scores: `overview_scores` adds them to just the rows a page shows)."""
    # With how many indicators have each rating, so scoring reads no items again (RATING_COUNTS).
    assessments = list(
        visible_assessments(user, cycle)
        .with_progress()
        .annotate(**RATING_COUNTS)
        .select_related("country")
        .order_by("country__name")
    )
    # Latest edition numbers in a query of their own: as a subquery of the progress query (grouped over every
    # item) PostgreSQL ran it once per item row, tripling that query's time at 193 countries.
    latest_editions = dict(
        Edition.objects.filter(country_assessment__cycle=cycle)
        .values("country_assessment")
        .annotate(latest=Max("number"))
        .values_list("country_assessment", "latest")
    )
    for assessment in assessments:
        assessment.cycle = cycle  # one Cycle for all: not its columns (introduction…) joined onto every row
        assessment.latest_edition = latest_editions.get(assessment.pk)
    rows = {assessment.pk: OverviewRow(assessment, stage_of(assessment)) for assessment in assessments}
    people: dict[int, User] = {}
    assignments = (
        Assignment.objects.filter(country_assessment__in=list(rows))
        .select_related("user")
        .only("country_assessment_id", "role", "user__username", "user__first_name", "user__last_name")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    for assignment in assignments:
        row = rows[assignment.country_assessment_id]
        people.setdefault(assignment.user_id, assignment.user)
        (row.researchers if assignment.role == AssignmentRole.RESEARCHER else row.reviewers).append(assignment.user)

    counts = {stage_choice: 0 for stage_choice in Stage}
    for row in rows.values():
        counts[row.stage] += 1
    selected = list(rows.values())
    if stage:
        selected = [row for row in selected if row.stage == stage]
    if assignee == "none":
        selected = [row for row in selected if not row.assignees]
    elif assignee:
        selected = [row for row in selected if any(person.username == assignee for person in row.assignees)]
    if region:
        selected = [row for row in selected if region_of(row.country.code) == region]
    if scored:
        overview_scores(selected)
    return Overview(
        rows=selected,
        stage_counts=[(stage_choice, count) for stage_choice, count in counts.items() if count],
        assignees=sorted(people.values(), key=lambda person: display_name(person).casefold()),
        regions=region_counts([row.country.code for row in rows.values()]),
        total=len(rows),
    )


def overview_scores(rows: list[OverviewRow]) -> None:
    """Score, previous score and change of each row (2 queries whatever the number of rows): this cycle's
    ratings come from the rows' RATING_COUNTS, only the previous cycle's are read."""
    ratings = {
        row.assessment.pk: [value for value in Rating.values for _ in range(getattr(row.assessment, f"rated_{value}"))]
        for row in rows
    }
    scores = assessment_scores([row.assessment for row in rows], ratings=ratings)
    for row in rows:
        row.scores = scores[row.assessment.pk]


@dataclass
class StaffGrid:
    """The heatmap of live ratings and the rating distribution per thematic area."""

    heatmap: Heatmap
    distributions: list[Distribution]


def grid_assessments(*, cycle: Cycle, user) -> list[CountryAssessment]:
    """The visible country assessments of a cycle by country name (1 query)."""
    assessments = list(visible_assessments(user, cycle).select_related("country").order_by("country__name"))
    for assessment in assessments:
        assessment.cycle = cycle  # one Cycle for all, not joined onto every row
    return assessments


def cycle_grid(*, cycle: Cycle, user, assessments: list[CountryAssessment] | None = None) -> StaffGrid:
    """Countries × indicators with live ratings, trends and item statuses (5 queries): every visible country,
    or just `assessments` (from `grid_assessments`, e.g. one page of them) — rows and distributions alike."""
    if assessments is None:
        assessments = grid_assessments(cycle=cycle, user=user)
    indicators = {indicator.pk: indicator for indicator in Indicator.objects.for_cycle(cycle)}
    columns = {
        pk: Column(
            code=indicator.code,
            title=indicator.title,
            area=indicator.thematic_area.name,
            url=reverse("cycle-indicator", args=[cycle.year, indicator.code]),
        )
        for pk, indicator in indicators.items()
    }
    assessments = {assessment.pk: assessment for assessment in assessments}
    rows_of_items = AssessmentItem.objects.filter(
        country_assessment__in=list(assessments), kind=ItemKind.INDICATOR
    ).values_list("country_assessment_id", "indicator_id", "rating", "trend", "status")
    by_assessment: dict[int, dict[int, tuple[str, str, str]]] = {pk: {} for pk in assessments}
    for assessment_pk, indicator_pk, rating, trend, status in rows_of_items:
        by_assessment[assessment_pk][indicator_pk] = (rating, trend, status)
    scores = assessment_scores(
        assessments.values(),
        ratings={pk: [rating for rating, _, _ in row.values()] for pk, row in by_assessment.items()},
    )
    rows = []
    for pk, assessment in assessments.items():
        # The item page URL (AssessmentItem.get_absolute_url) with one reverse() per country, not per cell.
        item_url = reverse("item-edit", args=[cycle.year, assessment.country.code, ITEM_SLOT])
        row_items = by_assessment[pk]
        cells = []
        for indicator_pk, column in columns.items():
            if indicator_pk not in row_items:
                cells.append(Cell(column))
                continue
            rating, trend, status = row_items[indicator_pk]
            cells.append(Cell(column, rating, trend, item_url.replace(ITEM_SLOT, column.code), status))
        summary = scores[pk]
        rows.append(
            Row(
                code=assessment.country.code,
                name=assessment.country.name,
                url=assessment.get_absolute_url(),
                score=summary.score if summary.score is not None else assessment.legacy_score,
                previous_score=summary.previous_score,
                change=summary.change,
                cells=cells,
            )
        )
    abbreviations = {indicator.thematic_area.name: indicator.thematic_area.code for indicator in indicators.values()}
    area_names = list(dict.fromkeys(column.area for column in columns.values()))
    pairs = ((columns[item_pk].area, item[0]) for row in by_assessment.values() for item_pk, item in row.items())
    return StaffGrid(
        heatmap=Heatmap(areas=area_groups(columns.values(), abbreviations), rows=rows),
        distributions=distributions(pairs, area_names),
    )


@dataclass
class IndicatorRow:
    item: AssessmentItem
    previous_rating: str = ""

    @property
    def expected_trend(self) -> str:
        """The trend the previous cycle's rating implies, when that rating is known."""
        if not self.previous_rating or not self.item.rating:
            return ""
        return derive_trend(self.item.rating, self.previous_rating)

    @property
    def trend_disagrees(self) -> bool:
        return bool(self.expected_trend and self.item.trend and self.item.trend != self.expected_trend)


def indicator_across_countries(*, cycle: Cycle, indicator: Indicator, user) -> list[IndicatorRow]:
    """One indicator's items in every visible country, with last cycle's approved rating beside each (≤ 4 queries)."""
    items = list(
        AssessmentItem.objects.filter(
            country_assessment__in=visible_assessments(user, cycle), kind=ItemKind.INDICATOR, indicator=indicator
        )
        .select_related("country_assessment__country", "country_assessment__cycle", "indicator")
        .order_by("country_assessment__country__name")
    )
    # Last cycle as approved (a reopened 2022 item being redrafted shows its approved rating, never the draft).
    previous = previous_cycle_items(items) if cycle.previous_id and items else {}
    previous = {
        item.country_assessment.country_id: (previous[item.pk].item.rating if previous[item.pk].item else "")
        for item in items
        if item.pk in previous
    }
    return [IndicatorRow(item, previous.get(item.country_assessment.country_id, "")) for item in items]
