"""An archive-scale dataset for the benchmark: 40 countries × 36 indicators × 3 cycles.

Item content is written through the one content service (the archive path for finished cycles, researchers'
edits and the workflow's transitions for the open one); only the older drafting history of each item (many edits
over a cycle) is added directly as historical rows, as simple-history would have recorded them, so that building
the dataset takes seconds rather than the hours that 100,000 individual saves would.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.test import override_settings
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
from assessments.workflow.content import ContentChange, WriteKind, items_content_write
from assessments.workflow.items import country_assessment_create
from assessments.workflow.previous import previous_cycle_items
from assessments.workflow.services import item_request_changes, item_submit

REASON = "benchmark dataset"

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


# The workflow's notifications (submitted, changes requested) would mail every simulated person.
@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
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
    editor = User.objects.get(username="editor")
    for code in codes:
        country = country_rows[code]
        for year in CYCLES:
            if CountryAssessment.objects.filter(country=country, cycle=cycles[year]).exists():
                continue
            assessment = country_assessment_create(country=country, cycle=cycles[year], user=admin, reason=REASON)
            items = list(assessment.items.select_related("indicator", "country_assessment__cycle"))
            if year < 2025:
                _finished(items, rng, keys, admin)
            else:
                index = codes.index(code)
                # Ten researcher/reviewer pairs share the region; the demo pair also takes the first three
                # countries, so its dashboard holds four assessments, as a researcher's would.
                pairs = [team[index % len(team)]] + ([(researcher, reviewer)] if index < 3 else [])
                Assignment.objects.bulk_create(
                    [
                        Assignment(country_assessment=assessment, user=person, role=role)
                        for people in pairs
                        for person, role in zip(people, AssignmentRole.values, strict=True)
                    ],
                    ignore_conflicts=True,
                )
                _in_progress(items, rng, keys, pairs[0], editor)
            _older_revisions(items, now, researcher, revisions_per_item)
    search_reindex()  # the older revisions above were bulk-created, past the write path that keeps the index current

    return DatasetSize(
        countries=CountryAssessment.objects.values("country").distinct().count(),
        sources=Source.objects.count(),
        citations=Citation.objects.count(),
        items=AssessmentItem.objects.filter(kind=ItemKind.INDICATOR).count(),
        history_rows=sum(
            model.history.count() for model in (AssessmentItem, Citation, Source, CountryAssessment, Assignment)
        ),
    )


def _finished(items, rng, keys, admin) -> None:
    """A finished cycle: its published record, written on the archive path of the content service."""
    changes = []
    for item in items:
        if item.kind == ItemKind.INDICATOR:
            values = {"rating": rng.choice(Rating.values), "notes": _notes(rng, keys, rng.choice([3, 4, 4]))}
        elif item.kind == ItemKind.OVERVIEW:
            values = {"notes": " ".join(_sentence(rng) for _ in range(6))}
        else:
            values = {"notes": _sentence(rng, 40)}
        changes.append(ContentChange(item=item, values=values))
    items_content_write(changes=changes, user=admin, reason=REASON, kind=WriteKind.ARCHIVE)
    previous = previous_cycle_items(items)
    trends = []
    for item in AssessmentItem.objects.filter(pk__in=[i.pk for i in items]).select_related(
        "indicator", "country_assessment__cycle"
    ):
        if item.kind == ItemKind.INDICATOR:
            derived = previous[item.pk].derived_trend(item.rating)
            trends.append(ContentChange(item=item, values={"trend": derived or Trend.NEW}))
    items_content_write(changes=trends, user=admin, reason=REASON, kind=WriteKind.ARCHIVE)


def _in_progress(items, rng, keys, pair, editor) -> None:
    """The open cycle: drafts written by the assigned researcher (60 % of indicators), then moved through review
    by the workflow's own transitions: some submitted, some returned with changes requested."""
    researcher, reviewer = pair
    changes = [
        ContentChange(
            item=item, values={"rating": rng.choice(Rating.values), "notes": _notes(rng, keys, rng.choice([3, 4, 4]))}
        )
        for item in items
        if item.kind == ItemKind.INDICATOR and rng.random() < 0.6
    ]
    written = items_content_write(changes=changes, user=researcher, reason="edited", kind=WriteKind.EDIT).items
    for item in written:
        stage = rng.choice([ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.CHANGES_REQUESTED])
        if stage == ItemStatus.DRAFT:
            continue
        item = item_submit(item=item, user=researcher)
        if stage == ItemStatus.CHANGES_REQUESTED:
            item_request_changes(item=item, user=reviewer, comment="Please cite more recent evidence.")


def _older_revisions(items, now, researcher, revisions: int) -> None:
    """The drafting before the current content, as simple-history would have recorded it over the cycle: the
    notes growing word by word (historical rows only; they describe the past and change no current state)."""
    History = AssessmentItem.history.model
    history = []
    for item in AssessmentItem.objects.filter(pk__in=[i.pk for i in items], kind=ItemKind.INDICATOR):
        words = item.notes.split()
        for revision in range(1, revisions - 1):
            history.append(
                History(
                    id=item.pk,
                    kind=item.kind,
                    rating=item.rating if revision > 2 else "",
                    trend="",
                    trend_override_reason="",
                    notes=" ".join(words[: max(0, len(words) * revision // revisions)]),
                    status=ItemStatus.DRAFT,
                    version=1,
                    approved_version=0,
                    country_assessment_id=item.country_assessment_id,
                    indicator_id=item.indicator_id,
                    last_edited_by_id=researcher.pk,
                    history_date=now - timedelta(days=revisions - revision, minutes=item.pk % 60),
                    history_change_reason="edited",
                    history_type="~",
                    history_user_id=researcher.pk,
                )
            )
    History.objects.bulk_create(history, batch_size=2000)


def dataset_publish(*, years: tuple[int, ...] = (2019, 2022), reason: str = "published (benchmark)") -> int:
    """Publish, as the demo editor, every finished assessment of `years` that has no edition yet; return how many.

    The public site then holds an archive (one edition per country and finished cycle) instead of one annex.
    """
    from assessments.publishing.services import annex_publish, publish_blockers

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
