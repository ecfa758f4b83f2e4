from assessments.demo.loader import demo_load
from assessments.models import (
    AssessmentItem,
    Assignment,
    Citation,
    Country,
    CountryAssessment,
    Cycle,
    Indicator,
    ItemStatus,
    Source,
)
from tests.rows import row_counts


def counts():
    return row_counts(Country, Cycle, Indicator, CountryAssessment, AssessmentItem, Citation, Source, Assignment)


def test_demo_loads_korea_annex_completely(korea_2022):
    items = korea_2022.items.all()
    assert items.count() == 38
    assert set(items.values_list("status", flat=True)) == {ItemStatus.APPROVED}
    assert all(item.notes for item in items)
    assert Citation.objects.filter(item__country_assessment=korea_2022).unresolved().count() == 0
    assert Indicator.objects.filter(cycle__year=2022).count() == 36
    assert Cycle.objects.get(year=2025).previous.year == 2022


def test_demo_load_is_idempotent(demo):
    before = counts()
    report = demo_load()
    assert report.created == []
    assert counts() == before


def test_countries_use_un_short_names(demo):
    assert Country.objects.get(code="KOR").name == "Republic of Korea"
    assert Country.objects.get(code="PRK").name == "Democratic People's Republic of Korea"
    assert Country.objects.get(code="KOR").sentence_name == "the Republic of Korea"
    assert Country.objects.count() >= 249


def test_korea_2025_is_empty_and_assigned(korea_2025):
    assert not korea_2025.items.exclude(notes="").exists()
    roles = set(korea_2025.assignments.values_list("user__username", "role"))
    assert roles == {("researcher", "researcher"), ("reviewer", "reviewer")}


def test_demo_load_writes_history_for_every_row(korea_2022):
    items = AssessmentItem.objects.filter(country_assessment=korea_2022)
    # one row when created, one when the annex text was filled in
    assert AssessmentItem.history.filter(country_assessment_id=korea_2022.pk).count() == 2 * items.count()
    assert set(AssessmentItem.history.values_list("history_change_reason", flat=True)) == {"demo load"}
    assert Citation.history.count() == Citation.objects.count()


def test_demo_can_give_2025_its_coverage_period(demo):
    """`loaddemo --with-2025-coverage`: the rationale rule is on in 2025 (off by default, see method/demo.py)."""
    assert not Cycle.objects.get(year=2025).has_coverage_period
    report = demo_load(coverage_2025=True)
    assert report.created == ["coverage period 2025"]
    periods = {cycle.year: (str(cycle.coverage_start), str(cycle.coverage_end)) for cycle in Cycle.objects.all()}
    assert periods == {
        2019: ("2016-07-01", "2019-06-30"),
        2022: ("2019-07-01", "2022-06-30"),
        2025: ("2022-07-01", "2025-06-30"),
    }
    assert demo_load(coverage_2025=True).created == []
