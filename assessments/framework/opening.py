"""Opening a new cycle from an earlier one, and editing its framework before the cycle opens.

A cycle is set up in steps, each one service here (or in workflow): `cycle_open_from` creates the cycle with a
copy of the earlier cycle's framework and codebook, its introduction and coverage period; `indicator_add`,
`indicator_rename`, `indicator_retire` and `indicator_map` edit the copied framework, each recording who and why;
`country_assessments_add` (workflow.items) opens the cycle by starting its countries' assessments, and
`assignments_bulk_set` (workflow.assignments) assigns researchers, reviewers and due dates from a CSV.

The framework is fixed once the cycle has country assessments: their items are the framework's indicators.
Every indicator says which indicator of the previous cycle it continues (`Indicator.continues_code`), so a
renamed code keeps deriving its trend and an added indicator starts as New.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.method.codebook import codebook_copy
from assessments.models import CountryAssessment, Cycle, Indicator, IndicatorGuidance, ThematicArea
from assessments.workflow import permissions

REASON_MAX = 500


def _require_right(user) -> None:
    if not permissions.can_open_cycle(user):
        raise PermissionDenied("Only editors and admins open a cycle and edit its framework.")


def _reason(reason: str, default: str) -> str:
    return (reason or "").strip()[:REASON_MAX] or default


def framework_lock_reason(cycle: Cycle) -> str:
    """Why the cycle's framework may no longer change (empty while it may)."""
    count = CountryAssessment.objects.filter(cycle=cycle).count()
    if not count:
        return ""
    return (
        f"The {cycle.year} framework is fixed: {count} country assessment{'s' if count != 1 else ''} already "
        "use it (every item is one of its indicators). Change the framework before adding countries."
    )


def _require_editable(cycle: Cycle) -> None:
    reason = framework_lock_reason(cycle)
    if reason:
        raise ValidationError(reason)


def shifted_introduction(text: str, *, previous_year: int, year: int) -> str:
    """The previous cycle's introduction with its year replaced by the new one (a starting point to edit)."""
    return text.replace(str(previous_year), str(year))


def _shift_years(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def suggested_coverage(previous: Cycle, year: int) -> tuple[date | None, date | None]:
    """The previous cycle's coverage period moved forward by the years between the cycles."""
    gap = year - previous.year
    return _shift_years(previous.coverage_start, gap), _shift_years(previous.coverage_end, gap)


def cycles_to_open_from():
    """Cycles a new one may follow: those no cycle follows yet, newest first."""
    return Cycle.objects.filter(next_cycle__isnull=True).order_by("-year")


@transaction.atomic
def cycle_open_from(
    *,
    previous: Cycle,
    year: int,
    introduction: str,
    coverage_start: date | None,
    coverage_end: date | None,
    user,
    reason: str = "",
) -> Cycle:
    """Create cycle `year` after `previous`, with a copy of its framework and codebook, the standard
    introduction and the coverage period; the framework may then be edited until countries are added."""
    _require_right(user)
    previous = Cycle.objects.select_for_update().get(pk=previous.pk)
    if Cycle.objects.filter(year=year).exists():
        raise ValidationError(f"Cycle {year} already exists.")
    if year <= previous.year:
        raise ValidationError(f"Cycle {year} cannot follow {previous.year}: choose a later year.")
    following = Cycle.objects.filter(previous=previous).first()
    if following is not None:
        raise ValidationError(
            f"{previous.year} is already followed by {following.year}; open the new cycle from {following.year}."
        )
    if not previous.indicators.exists():
        raise ValidationError(f"{previous.year} has no framework to copy.")
    if (coverage_start is None) != (coverage_end is None):
        raise ValidationError("Give both the first and the last day of the coverage period, or neither.")
    reason = _reason(reason, f"opened from {previous.year}")
    cycle = Cycle(
        year=year,
        previous=previous,
        introduction=introduction,
        methodology_url=previous.methodology_url,
        regional_report_url=previous.regional_report_url,
        ibid_enabled=previous.ibid_enabled,
        coverage_start=coverage_start,
        coverage_end=coverage_end,
    )
    cycle.full_clean()
    cycle._history_user = user
    cycle._change_reason = reason
    cycle.save()
    areas = {
        area.pk: ThematicArea(cycle=cycle, code=area.code, name=area.name, position=area.position)
        for area in ThematicArea.objects.filter(cycle=previous).order_by("position")
    }
    ThematicArea.objects.bulk_create(areas.values())
    indicators = [
        Indicator(
            cycle=cycle,
            thematic_area=areas[indicator.thematic_area_id],
            code=indicator.code,
            title=indicator.title,
            position=indicator.position,
        )
        for indicator in Indicator.objects.filter(cycle=previous).order_by("position")
    ]
    bulk_create_with_history(
        indicators, Indicator, default_user=user, default_change_reason=f"copied from the {previous.year} framework"
    )
    codebook_copy(source=previous, target=cycle, user=user)
    return cycle


def _locked_indicator(indicator: Indicator) -> Indicator:
    return Indicator.objects.select_for_update(of=("self",)).select_related("cycle__previous").get(pk=indicator.pk)


def _previous_codes(cycle: Cycle) -> set[str]:
    if cycle.previous_id is None:
        return set()
    return set(Indicator.objects.filter(cycle_id=cycle.previous_id).values_list("code", flat=True))


def _check_continues(cycle: Cycle, continues: str) -> None:
    if continues and continues not in _previous_codes(cycle):
        previous = cycle.previous.year if cycle.previous_id else "the previous cycle"
        raise ValidationError(f"{continues} is not an indicator of {previous}.")


def _save(indicator: Indicator, *, user, reason: str) -> None:
    indicator.full_clean()
    indicator._history_user = user
    indicator._change_reason = reason
    indicator.save()


def _renumber(cycle: Cycle, *, user, reason: str) -> None:
    """Positions 1..N in area order then current order (two steps, so the unique positions never collide)."""
    indicators = list(
        Indicator.objects.select_for_update().filter(cycle=cycle).order_by("thematic_area__position", "position", "pk")
    )
    offset = max((indicator.position for indicator in indicators), default=0) + 1
    Indicator.objects.filter(cycle=cycle).update(position=F("position") + offset)
    moved = []
    for number, indicator in enumerate(indicators, start=1):
        if indicator.position != number:
            moved.append(indicator)
        indicator.position = number
    Indicator.objects.bulk_update(indicators, ["position"])
    if moved:  # history for the ones whose place in the framework changed
        bulk_update_with_history(moved, Indicator, ["position"], default_user=user, default_change_reason=reason)


@transaction.atomic
def indicator_add(
    *, area: ThematicArea, code: str, title: str, continues: str = "", user, reason: str = ""
) -> Indicator:
    """Add an indicator at the end of a thematic area of a cycle not yet open. `continues` names the previous
    cycle's indicator it carries on (its trend derives from it); empty: new in this cycle (trend New)."""
    _require_right(user)
    cycle = Cycle.objects.select_for_update().get(pk=area.cycle_id)
    _require_editable(cycle)
    code, continues = code.strip().upper(), continues.strip().upper()
    if Indicator.objects.filter(cycle=cycle, code=code).exists():
        raise ValidationError(f"{cycle.year} already has an indicator {code}.")
    _check_continues(cycle, continues)
    last = Indicator.objects.filter(cycle=cycle).aggregate(last=Max("position"))["last"] or 0
    indicator = Indicator(
        cycle=cycle,
        thematic_area=area,
        code=code,
        title=title.strip(),
        position=last + 1,
        previous_code=continues,
        is_new=not continues,
    )
    what = f"continues {continues}" if continues else "new"
    reason = _reason(reason, f"added ({what})")
    _save(indicator, user=user, reason=reason)
    _renumber(cycle, user=user, reason=f"renumbered: {code} added")
    indicator.refresh_from_db()
    return indicator


@transaction.atomic
def indicator_rename(*, indicator: Indicator, code: str, title: str, user, reason: str = "") -> Indicator:
    """Change an indicator's code and/or title; a new code keeps continuing the indicator the old one did."""
    _require_right(user)
    indicator = _locked_indicator(indicator)
    _require_editable(indicator.cycle)
    code, title = code.strip().upper(), title.strip()
    if code == indicator.code and title == indicator.title:
        raise ValidationError("Nothing to rename: the code and title are unchanged.")
    if code != indicator.code and Indicator.objects.filter(cycle=indicator.cycle, code=code).exists():
        raise ValidationError(f"{indicator.cycle.year} already has an indicator {code}.")
    changes = []
    if code != indicator.code:
        changes.append(f"code {indicator.code} → {code}")
        if not indicator.is_new and not indicator.previous_code:
            indicator.previous_code = indicator.code  # the mapping that keeps the trend deriving
        indicator.code = code
    if title != indicator.title:
        changes.append("title")
        indicator.title = title
    _save(indicator, user=user, reason=_reason(reason, f"renamed ({', '.join(changes)})"))
    return indicator


@transaction.atomic
def indicator_map(*, indicator: Indicator, continues: str, user, reason: str = "") -> Indicator:
    """Say which indicator of the previous cycle this one continues (`continues`, a code), or none (empty: New)."""
    _require_right(user)
    indicator = _locked_indicator(indicator)
    _require_editable(indicator.cycle)
    continues = continues.strip().upper()
    _check_continues(indicator.cycle, continues)
    if continues == (indicator.continues_code or ""):
        raise ValidationError("The mapping is unchanged.")
    indicator.previous_code = continues
    indicator.is_new = not continues
    what = f"continues {continues}" if continues else "new, continues nothing"
    _save(indicator, user=user, reason=_reason(reason, f"mapped: {what}"))
    return indicator


@transaction.atomic
def indicator_retire(*, indicator: Indicator, user, reason: str = "") -> None:
    """Drop an indicator from a cycle not yet open (the previous cycle keeps its own); the rest move up."""
    _require_right(user)
    indicator = _locked_indicator(indicator)
    cycle = indicator.cycle
    _require_editable(cycle)
    if Indicator.objects.filter(cycle=cycle).count() == 1:
        raise ValidationError("A framework needs at least one indicator.")
    reason = _reason(reason, "retired")
    guidance = IndicatorGuidance.objects.filter(indicator=indicator).first()
    if guidance is not None:
        guidance._history_user = user
        guidance._change_reason = f"{indicator.code} retired"
        guidance.delete()
    indicator._history_user = user
    indicator._change_reason = reason
    indicator.delete()
    _renumber(cycle, user=user, reason=f"renumbered: {indicator.code} retired")
