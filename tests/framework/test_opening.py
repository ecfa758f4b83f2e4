"""Opening cycle 2025 from 2022: the framework copied and edited, countries, bulk assignments, trends, history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.framework.opening import (
    cycle_open_from,
    framework_lock_reason,
    indicator_add,
    indicator_map,
    indicator_rename,
    indicator_retire,
)
from assessments.framework.scoring import check_trends
from assessments.method.calibration import calibration_rows
from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    CountryAssessment,
    Cycle,
    Indicator,
    IndicatorGuidance,
    ItemKind,
    Trend,
)
from assessments.workflow.assignments import BulkAssignmentError, assignments_bulk_set
from assessments.workflow.content import ContentChange, items_content_write
from assessments.workflow.items import country_assessments_add
from assessments.workflow.previous import previous_cycle_items
from tests.factories import CycleFactory

INTRODUCTION = "This annex reviews {country_in_text}'s efforts in 2025."


def open_2025(past, **more) -> Cycle:
    return cycle_open_from(
        previous=past.cycle,
        year=2025,
        introduction=INTRODUCTION,
        coverage_start=date(2022, 7, 1),
        coverage_end=date(2025, 6, 30),
        user=past.editor,
        **more,
    )


def codes(cycle: Cycle) -> list[str]:
    return list(Indicator.objects.filter(cycle=cycle).order_by("position").values_list("code", flat=True))


def write(item: AssessmentItem, user, **values) -> AssessmentItem:
    return items_content_write(changes=[ContentChange(item=item, values=values)], user=user, reason="drafted").items[0]


def test_open_2025_from_2022_with_a_renamed_and_an_added_indicator_three_countries_and_bulk_assignments(past):
    cycle = open_2025(past)
    assert (cycle.previous, cycle.introduction, cycle.coverage_start) == (past.cycle, INTRODUCTION, date(2022, 7, 1))
    assert codes(cycle) == codes(past.cycle)

    renamed = indicator_rename(
        indicator=Indicator.objects.get(cycle=cycle, code="BC-3"),
        code="BC-4",
        title="Justice for past atrocities",
        user=past.editor,
        reason="methodology review 2024",
    )
    added = indicator_add(
        area=cycle.thematic_areas.get(code="UN"),
        code="UN-8",
        title="Support for UN atrocity prevention mechanisms",
        user=past.editor,
        reason="new question agreed by the board",
    )
    assert (renamed.previous_code, renamed.continues_code) == ("BC-3", "BC-3")
    assert (added.is_new, added.continues_code, added.position) == (True, None, 37)
    assert codes(cycle)[2] == "BC-4" and codes(cycle)[-1] == "UN-8" and len(codes(cycle)) == 37

    opened = country_assessments_add(cycle=cycle, countries=past.countries, user=past.editor)
    assert len(opened) == 3
    for assessment in opened:
        items = list(assessment.items.select_related("indicator").order_by("pk"))
        assert [item.kind for item in items] == ["overview", *["indicator"] * 37, "conclusion"]
        assert [item.indicator.code for item in items[1:-1]] == codes(cycle)

    rows = [
        {"country": "ALB", "researcher": "res1", "reviewer": "rev1", "due_date": "2025-09-30"},
        {"country": "Benin", "researcher": "res2@example.org", "reviewer": "rev2", "due_date": "2025-10-31"},
        {"country": "chl", "researcher": "RES3", "reviewer": "rev3", "due_date": ""},
    ]
    result = assignments_bulk_set(cycle=cycle, rows=rows, user=past.editor, reason="assignments.csv")
    assert (result.created, result.removed, result.due_dates) == (6, 0, 2)
    albania = CountryAssessment.objects.get(cycle=cycle, country__code="ALB")
    assert {(a.user.username, a.role) for a in albania.assignments.all()} == {
        ("res1", AssignmentRole.RESEARCHER),
        ("rev1", AssignmentRole.REVIEWER),
    }
    assert albania.due_date == date(2025, 9, 30)
    assert CountryAssessment.objects.get(cycle=cycle, country__code="CHL").due_date is None

    # Trends: the renamed indicator derives from BC-3's 2022 rating, the added one is New.
    researcher = past.researchers[0]
    items = {
        item.indicator.code: item for item in albania.items.filter(kind=ItemKind.INDICATOR).select_related("indicator")
    }
    previous = previous_cycle_items(
        AssessmentItem.objects.filter(pk__in=[items["BC-4"].pk, items["UN-8"].pk, items["BC-1"].pk]).select_related(
            "indicator", "country_assessment__cycle"
        )
    )
    assert previous[items["BC-4"].pk].item.indicator.code == "BC-3"
    assert previous[items["UN-8"].pk].item is None
    assert write(items["BC-4"], researcher, rating="strong").trend == Trend.INCREASE  # from Weak
    assert write(items["UN-8"], researcher, rating="fair").trend == Trend.NEW
    assert write(items["BC-1"], researcher, rating="fair").trend == Trend.UNCHANGED
    assert check_trends(albania).ok
    rows = calibration_rows(
        cycle=cycle, indicator=items["BC-4"].indicator, assessments=CountryAssessment.objects.filter(cycle=cycle)
    )
    assert {row.country_code: row.previous_rating for row in rows} == {"ALB": "weak", "BEN": "weak", "CHL": "weak"}
    rows = calibration_rows(cycle=cycle, indicator=added, assessments=CountryAssessment.objects.filter(cycle=cycle))
    assert {row.previous_rating for row in rows} == {""}

    # History: who and why, for every step.
    opened_record = cycle.history.get()
    assert (opened_record.history_user, opened_record.history_change_reason) == (past.editor, "opened from 2022")
    rename_record = renamed.history.order_by("-history_id").filter(history_change_reason__startswith="method").first()
    assert rename_record.history_user == past.editor
    assert (rename_record.code, rename_record.previous_code) == ("BC-4", "BC-3")
    assert renamed.history.filter(code="BC-3", history_change_reason="copied from the 2022 framework").exists()
    added_record = added.history.earliest("history_date")
    assert (added_record.history_user, added_record.history_change_reason) == (
        past.editor,
        "new question agreed by the board",
    )
    assignment_records = Assignment.history.filter(country_assessment_id__in=[a.pk for a in opened])
    assert assignment_records.count() == 6
    assert {record.history_user for record in assignment_records} == {past.editor}
    assert {record.history_change_reason for record in assignment_records} == {
        "assigned as researcher (assignments.csv)",
        "assigned as reviewer (assignments.csv)",
    }
    due_record = albania.history.order_by("-history_id").first()
    assert (due_record.due_date, due_record.history_user) == (date(2025, 9, 30), past.editor)
    assert all(a.history.filter(history_type="+", history_user=past.editor).exists() for a in opened)


def test_the_codebook_travels_and_a_renamed_indicator_keeps_its_guidance(past):
    from assessments.method.codebook import guidance_update

    guidance_update(
        indicator=Indicator.objects.get(cycle=past.cycle, code="BC-3"), user=past.editor, question="Past abuses?"
    )
    cycle = open_2025(past)
    renamed = indicator_rename(
        indicator=Indicator.objects.get(cycle=cycle, code="BC-3"), code="BC-9", title="Past abuses", user=past.editor
    )
    assert IndicatorGuidance.objects.get(indicator=renamed).question == "Past abuses?"


def test_mapping_and_retiring_renumber_and_record_history(past):
    cycle = open_2025(past)
    un_7 = Indicator.objects.get(cycle=cycle, code="UN-7")
    indicator_retire(indicator=Indicator.objects.get(cycle=cycle, code="PM-2"), user=past.editor, reason="merged")
    assert "PM-2" not in codes(cycle)
    assert list(Indicator.objects.filter(cycle=cycle).order_by("position").values_list("position", flat=True)) == list(
        range(1, 36)
    )
    deleted = Indicator.history.get(cycle_id=cycle.pk, code="PM-2", history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (past.editor, "merged")
    # An added indicator may continue a retired one: PM-4 carries PM-2's trend.
    pm_4 = indicator_add(
        area=cycle.thematic_areas.get(code="PM"), code="PM-4", title="Focal point", continues="PM-2", user=past.editor
    )
    assert pm_4.continues_code == "PM-2" and codes(cycle)[:6] == ["BC-1", "BC-2", "BC-3", "PM-1", "PM-3", "PM-4"]
    # Mapping UN-7 to nothing makes it New; back to UN-7 continues it again.
    indicator_map(indicator=un_7, continues="", user=past.editor, reason="new definition")
    un_7.refresh_from_db()
    assert (un_7.is_new, un_7.continues_code) == (True, None)
    indicator_map(indicator=un_7, continues="UN-7", user=past.editor)
    un_7.refresh_from_db()
    assert un_7.continues_code == "UN-7"
    with pytest.raises(ValidationError, match="not an indicator of 2022"):
        indicator_map(indicator=un_7, continues="UN-99", user=past.editor)
    with pytest.raises(ValidationError, match="already has an indicator BC-2"):
        indicator_rename(
            indicator=Indicator.objects.get(cycle=cycle, code="BC-1"), code="BC-2", title="x", user=past.editor
        )


def test_only_editors_open_cycles_and_edit_frameworks(past):
    researcher = past.researchers[0]
    with pytest.raises(PermissionDenied):
        cycle_open_from(
            previous=past.cycle, year=2025, introduction="", coverage_start=None, coverage_end=None, user=researcher
        )
    cycle = open_2025(past)
    indicator = Indicator.objects.get(cycle=cycle, code="BC-1")
    for call in (
        lambda: indicator_rename(indicator=indicator, code="BC-1", title="New title", user=researcher),
        lambda: indicator_retire(indicator=indicator, user=researcher),
        lambda: indicator_map(indicator=indicator, continues="", user=researcher),
        lambda: indicator_add(area=indicator.thematic_area, code="BC-7", title="x", user=researcher),
        lambda: assignments_bulk_set(cycle=cycle, rows=[{"country": "ALB", "researcher": "res1"}], user=researcher),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_the_framework_is_fixed_once_the_cycle_has_assessments(past):
    cycle = open_2025(past)
    assert framework_lock_reason(cycle) == ""
    country_assessments_add(cycle=cycle, countries=past.countries[:1], user=past.editor)
    indicator = Indicator.objects.get(cycle=cycle, code="BC-1")
    message = "The 2025 framework is fixed: 1 country assessment already use it"
    for call in (
        lambda: indicator_rename(indicator=indicator, code="BC-1", title="New title", user=past.editor),
        lambda: indicator_retire(indicator=indicator, user=past.editor),
        lambda: indicator_map(indicator=indicator, continues="", user=past.editor),
        lambda: indicator_add(area=indicator.thematic_area, code="BC-7", title="x", user=past.editor),
    ):
        with pytest.raises(ValidationError, match=message):
            call()
    assert codes(cycle) == codes(past.cycle)
    assert not Indicator.history.filter(cycle_id=cycle.pk).exclude(history_change_reason__startswith="copied").exists()


def test_a_cycle_opens_once_after_a_cycle_and_later_than_it(past):
    open_2025(past)
    with pytest.raises(ValidationError, match="Cycle 2025 already exists"):
        open_2025(past)
    with pytest.raises(ValidationError, match="2022 is already followed by 2025; open the new cycle from 2025"):
        cycle_open_from(
            previous=past.cycle, year=2028, introduction="", coverage_start=None, coverage_end=None, user=past.editor
        )
    with pytest.raises(ValidationError, match="choose a later year"):
        cycle_open_from(
            previous=CycleFactory(year=2040), year=2039, introduction="", coverage_start=None, coverage_end=None,
            user=past.editor,
        )  # fmt: skip
    assert Cycle.objects.filter(year__in=[2028, 2039]).count() == 0


def test_bad_rows_write_nothing_and_say_what_is_wrong_with_each(past):
    cycle = open_2025(past)
    country_assessments_add(cycle=cycle, countries=past.countries, user=past.editor)
    rows = [
        {"country": "ALB", "researcher": "res1", "reviewer": "rev1", "due_date": "2025-09-30"},  # fine
        {"country": "XYZ", "researcher": "res2", "reviewer": "rev2", "due_date": ""},
        {"country": "DNK", "researcher": "res2", "reviewer": "rev2", "due_date": ""},
        {"country": "BEN", "researcher": "nobody", "reviewer": "res3", "due_date": "31 Sept"},
        {"country": "CHL", "researcher": "rev3", "reviewer": "rev3", "due_date": ""},
        {"country": "ALB", "researcher": "res2", "reviewer": "", "due_date": ""},
    ]
    with pytest.raises(BulkAssignmentError) as refused:
        assignments_bulk_set(cycle=cycle, rows=rows, user=past.editor)
    assert refused.value.messages == [
        "Nothing was assigned: 5 of 6 rows have errors. Correct the file and upload it again."
    ]
    errors = [row.errors for row in refused.value.rows]
    assert errors[0] == []
    assert errors[1] == ["Unknown country 'XYZ': use its ISO code (e.g. KOR) or UN name."]
    assert errors[2] == ["DNK is not in 2025: add it to the cycle first."]
    assert errors[3] == [
        "Unknown researcher: no active user 'nobody'.",
        "res3 does not have the Reviewer role.",
        "'31 Sept' is not a date: write it as YYYY-MM-DD.",
    ]
    assert errors[4] == [
        "rev3 does not have the Researcher role.",
    ]
    assert errors[5] == ["Albania is already on line 2."]
    assert not Assignment.objects.filter(country_assessment__cycle=cycle).exists()
    assert not CountryAssessment.objects.filter(cycle=cycle, due_date__isnull=False).exists()


def test_a_second_file_replaces_the_people_it_names_and_keeps_the_others(past):
    cycle = open_2025(past)
    country_assessments_add(cycle=cycle, countries=past.countries, user=past.editor)
    first = [{"country": "ALB", "researcher": "res1", "reviewer": "rev1", "due_date": ""}]
    assignments_bulk_set(cycle=cycle, rows=first, user=past.editor)
    second = [{"country": "ALB", "researcher": "res2", "reviewer": "", "due_date": "2025-12-01"}]
    result = assignments_bulk_set(cycle=cycle, rows=second, user=past.editor, reason="swap")
    assert (result.created, result.removed, result.due_dates) == (1, 1, 1)
    albania = CountryAssessment.objects.get(cycle=cycle, country__code="ALB")
    assert {(a.user.username, a.role) for a in albania.assignments.all()} == {
        ("res2", AssignmentRole.RESEARCHER),
        ("rev1", AssignmentRole.REVIEWER),
    }
    removed = Assignment.history.get(history_type="-")
    assert (removed.user.username, removed.history_change_reason) == ("res1", "unassigned as researcher (swap)")
    with pytest.raises(BulkAssignmentError):
        same_person = [{"country": "BEN", "researcher": "ed", "reviewer": "ed", "due_date": ""}]
        assignments_bulk_set(cycle=cycle, rows=same_person, user=past.editor)
