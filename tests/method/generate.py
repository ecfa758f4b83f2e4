"""A generated region for the consistency report: 40 countries rated in 2022 and 2025, with citations.

Each country has a key source per indicator (one of five, cited twice) and every country also cites one common
source. Ratings follow the key source, and every country citing a key source moves the same way from 2022 to
2025, so the region is consistent; `plant_*` then break that on purpose."""

from dataclasses import dataclass

from assessments.models import AssessmentItem, Citation, Country, Cycle, ItemKind, Rating, Source
from tests.factories import make_country_assessment

LADDER = ["very_weak", "weak", "fair", "strong", "very_strong"]
KEYS = 5


@dataclass
class Region:
    countries: list[Country]
    items_2025: dict[tuple[str, str], AssessmentItem]  # (country code, indicator code) → item

    def item(self, country: Country, code: str) -> AssessmentItem:
        return self.items_2025[(country.code, code)]


def _ratings(k: int) -> tuple[str, str]:
    """(2022, 2025) ratings of a country whose key source is number k: even keys rise one level, odd stay."""
    before = LADDER[1 + k % 3]
    after = LADDER[LADDER.index(before) + 1] if k % 2 == 0 else before
    return before, after


def build_region(countries: int = 40) -> Region:
    cycles = {cycle.year: cycle for cycle in Cycle.objects.filter(year__in=[2022, 2025])}
    chosen = list(Country.objects.exclude(assessments__cycle__year=2025).order_by("code")[:countries])
    sources = {
        name: Source.objects.create(key=f"gen-{name}", title=f"Generated {name}", issued_year=2024)
        for name in ["common", *[f"key-{k}" for k in range(KEYS)]]
    }
    items_2025 = {}
    citations = []
    updated = []
    for index, country in enumerate(chosen):
        k = index % KEYS
        before, after = _ratings(k)
        for year, rating in ((2022, before), (2025, after)):
            assessment = make_country_assessment(country=country, cycle=cycles[year])
            for item in assessment.items.filter(kind=ItemKind.INDICATOR).select_related("indicator"):
                item.rating = rating
                updated.append(item)
                citations += [
                    Citation(item=item, position=1, key=f"gen-key-{k}", source=sources[f"key-{k}"]),
                    Citation(item=item, position=2, key="gen-common", source=sources["common"]),
                    Citation(item=item, position=3, key=f"gen-key-{k}", source=sources[f"key-{k}"]),
                ]
                if year == 2025:
                    items_2025[(country.code, item.indicator.code)] = item
    AssessmentItem.objects.bulk_update(updated, ["rating"], batch_size=1000)
    Citation.objects.bulk_create(citations, batch_size=2000)
    return Region(countries=chosen, items_2025=items_2025)


def set_rating(item: AssessmentItem, rating: str) -> None:
    AssessmentItem.objects.filter(pk=item.pk).update(rating=Rating(rating).value)
