"""An archive-scale dataset for the benchmark: 40 countries × 36 indicators × 3 cycles.

Rows are written in bulk; the revision history of each item (many edits over a cycle) is written
directly as historical rows, as simple-history would have recorded them, so that building the dataset
takes seconds rather than the hours that 100,000 individual saves would.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments.demo.loader import demo_load
from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    Citation,
    Country,
    CountryAssessment,
    Cycle,
    ItemKind,
    ItemStatus,
    Rating,
    Source,
    Trend,
)
from assessments.search.services import search_reindex
from assessments.services.scoring import derive_trend

# Asia-Pacific and neighbours (beside the demo's Republic of Korea), so the benchmark reads like the region.
REGION = [
    "AUS",
    "BGD",
    "BRN",
    "KHM",
    "CHN",
    "FJI",
    "IND",
    "IDN",
    "JPN",
    "LAO",
    "MYS",
    "MNG",
    "MMR",
    "NPL",
    "NZL",
    "PAK",
    "PNG",
    "PHL",
    "SGP",
    "LKA",
    "THA",
    "TLS",
    "VNM",
    "PRK",
    "BTN",
    "MDV",
    "AFG",
    "KAZ",
    "KGZ",
    "TJK",
    "TKM",
    "UZB",
    "SLB",
    "VUT",
    "WSM",
    "TON",
    "KIR",
    "FSM",
    "PLW",
    "NRU",
]
CYCLES = [2019, 2022, 2025]
WORDS = (
    "government continues maintain protection human rights civil society report commission law reform "
    "security sector refugees participation review mechanism accountability prevention atrocity evidence "
    "national regional support resolution dialogue capacity institutions media freedom discrimination"
).split()


@dataclass
class DatasetSize:
    countries: int
    sources: int
    citations: int
    items: int
    history_rows: int


def _sentence(rng: random.Random, words: int = 18) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _notes(rng: random.Random, keys: list[str], citations: int) -> str:
    parts = []
    for _ in range(citations):
        key = rng.choice(keys)
        locator = rng.choice(["", "", ", p. 4", ", para. 12", ", 'Section 2. Civil Liberties'"])
        parts.append(f"{_sentence(rng)}[@{key}{locator}]")
    return " ".join(parts)


@transaction.atomic
def dataset_build(*, countries: int = 40, revisions_per_item: int = 22, seed: int = 2025) -> DatasetSize:
    """Build the dataset on top of the demo data; return what it holds."""
    rng = random.Random(seed)
    demo_load()
    admin = User.objects.get(username="admin")
    researcher = User.objects.get(username="researcher")
    reviewer = User.objects.get(username="reviewer")
    team = [
        tuple(
            User.objects.get_or_create(username=f"bench-{role}-{n}", defaults={"first_name": role.title()})[0]
            for role in ("researcher", "reviewer")
        )
        for n in range(10)
    ]
    cycles = {cycle.year: cycle for cycle in Cycle.objects.filter(year__in=CYCLES)}
    indicators = {year: list(cycles[year].indicators.order_by("position")) for year in CYCLES}

    existing_sources = Source.objects.count()
    new_sources = [
        Source(
            key=f"bench-{n:05d}",
            type=rng.choice(["report", "webpage", "article-newspaper", "document"]),
            authors=[{"literal": f"Organisation {n % 300}"}] if n % 3 else [{"family": f"Author{n}", "given": "Sam"}],
            author_text=f"Organisation {n % 300}",
            issued_year=rng.choice([2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, None]),
            title=f"{_sentence(rng, 6)[:-1]} ({n})",
            container_title=rng.choice(["", "The Diplomat", "BBC News", "East Asia Forum"]),
            url=f"https://example.org/sources/{n}",
        )
        for n in range(max(0, 2000 - existing_sources + 5))
    ]
    Source.objects.bulk_create(new_sources, batch_size=500)
    keys = list(Source.objects.filter(key__startswith="bench-").values_list("key", flat=True))

    codes = [code for code in REGION if Country.objects.filter(code=code).exists()][:countries]
    country_rows = {country.code: country for country in Country.objects.filter(code__in=codes)}
    now = timezone.now()
    for code in codes:
        country = country_rows[code]
        previous_ratings: dict[str, str] = {}
        for year in CYCLES:
            assessment, created = CountryAssessment.objects.get_or_create(country=country, cycle=cycles[year])
            if not created and assessment.items.exists():
                previous_ratings = (
                    dict(assessment.items.indicators().values_list("indicator__code", "rating")) or previous_ratings
                )
                continue
            finished = year < 2025
            items = [
                AssessmentItem(
                    country_assessment=assessment,
                    kind=ItemKind.OVERVIEW,
                    notes=" ".join(_sentence(rng) for _ in range(6)) if finished else "",
                    status=ItemStatus.APPROVED if finished else ItemStatus.DRAFT,
                )
            ]
            for indicator in indicators[year]:
                rating = rng.choice(Rating.values) if finished or rng.random() < 0.6 else ""
                items.append(
                    AssessmentItem(
                        country_assessment=assessment,
                        kind=ItemKind.INDICATOR,
                        indicator=indicator,
                        rating=rating,
                        trend=derive_trend(rating, previous_ratings.get(indicator.code)) if rating else "",
                        notes=_notes(rng, keys, rng.choice([3, 4, 4])) if rating else "",
                        status=(
                            ItemStatus.APPROVED
                            if finished
                            else rng.choice([ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.CHANGES_REQUESTED])
                        ),
                        version=revisions_per_item,
                        last_edited_by=researcher,
                    )
                )
            items.append(
                AssessmentItem(
                    country_assessment=assessment,
                    kind=ItemKind.CONCLUSION,
                    notes=_sentence(rng, 40) if finished else "",
                    status=ItemStatus.APPROVED if finished else ItemStatus.DRAFT,
                )
            )
            AssessmentItem.objects.bulk_create(items)
            previous_ratings = {item.indicator.code: item.rating for item in items if item.indicator_id}
            if year == 2025:
                # Ten researcher/reviewer pairs share the region; the demo pair also takes the first three
                # countries, so its dashboard holds four assessments, as a researcher's would.
                index = codes.index(code)
                pair = [team[index % len(team)]] + ([(researcher, reviewer)] if index < 3 else [])
                Assignment.objects.bulk_create(
                    [
                        Assignment(country_assessment=assessment, user=person, role=role)
                        for people in pair
                        for person, role in zip(people, AssignmentRole.values, strict=True)
                    ],
                    ignore_conflicts=True,
                )
            _citations_and_history(items, rng, now, researcher, reviewer, admin, revisions_per_item)
    search_reindex()  # the rows above were bulk-created, past the write path that keeps the index current

    return DatasetSize(
        countries=CountryAssessment.objects.values("country").distinct().count(),
        sources=Source.objects.count(),
        citations=Citation.objects.count(),
        items=AssessmentItem.objects.filter(kind=ItemKind.INDICATOR).count(),
        history_rows=sum(
            model.history.count() for model in (AssessmentItem, Citation, Source, CountryAssessment, Assignment)
        ),
    )


def _citations_and_history(items, rng, now, researcher, reviewer, admin, revisions) -> None:
    from assessments.citations.syntax import extract_citations

    source_ids = dict(Source.objects.filter(key__startswith="bench-").values_list("key", "pk"))
    citations = []
    for item in items:
        for position, ref in enumerate(extract_citations(item.notes), start=1):
            citations.append(
                Citation(
                    item=item, position=position, key=ref.key, source_id=source_ids.get(ref.key), locator=ref.locator
                )
            )
    Citation.objects.bulk_create(citations, batch_size=1000)

    History = AssessmentItem.history.model
    history = []
    for item in items:
        if not item.indicator_id:
            continue
        words = item.notes.split()
        for revision in range(1, revisions + 1):
            last = revision == revisions
            reason = (
                "created"
                if revision == 1
                else ("approved" if last and item.status == ItemStatus.APPROVED else "edited")
            )
            history.append(
                History(
                    id=item.pk,
                    kind=item.kind,
                    rating=item.rating if revision > 2 else "",
                    trend=item.trend if revision > 2 else "",
                    trend_override_reason="",
                    notes=" ".join(words[: max(0, len(words) * revision // revisions)]),
                    status=item.status if last else ItemStatus.DRAFT,
                    version=revision,
                    country_assessment_id=item.country_assessment_id,
                    indicator_id=item.indicator_id,
                    last_edited_by_id=researcher.pk,
                    history_date=now - timedelta(days=revisions - revision, minutes=item.pk % 60),
                    history_change_reason=reason,
                    history_type="+" if revision == 1 else "~",
                    history_user_id=(reviewer if reason == "approved" else researcher).pk,
                )
            )
    History.objects.bulk_create(history, batch_size=2000)
    CitationHistory = Citation.history.model
    CitationHistory.objects.bulk_create(
        [
            CitationHistory(
                id=c.pk,
                item_id=c.item_id,
                position=c.position,
                key=c.key,
                source_id=c.source_id,
                locator=c.locator,
                history_date=now,
                history_change_reason="created",
                history_type="+",
                history_user_id=researcher.pk,
            )
            for c in Citation.objects.filter(item__in=[item.pk for item in items])
        ],
        batch_size=2000,
    )


def dataset_publish(*, years: tuple[int, ...] = (2019, 2022), reason: str = "published (benchmark)") -> int:
    """Publish, as the demo editor, every finished assessment of `years` that has no edition yet; return how many.

    The public site then holds an archive (one edition per country and finished cycle) instead of one annex.
    """
    from assessments.services.publishing import annex_publish, publish_blockers

    editor = User.objects.get(username="editor")
    published = 0
    for assessment in CountryAssessment.objects.filter(cycle__year__in=years, editions__isnull=True).order_by("pk"):
        if publish_blockers(assessment):
            continue  # e.g. a legacy assessment with a score only
        with transaction.atomic():
            annex_publish(country_assessment=assessment, user=editor, reason=reason)
        published += 1
    return published


__all__ = ["CYCLES", "REGION", "DatasetSize", "Trend", "dataset_build", "dataset_publish"]
