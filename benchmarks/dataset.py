"""An archive-scale dataset for the benchmark: N countries × 36 indicators × C cycles.

By default 40 countries (Asia-Pacific) × 3 cycles (2019, 2022, 2025); at full scale all 193 UN member states × 5
cycles (2013 to 2025): about 35,000 indicator assessments and 800,000 history rows.

Item content is written through the one content service (the archive path for finished cycles, researchers'
edits and the workflow's transitions for the open one), many assessments per call; only the older drafting
history of each item (many edits over a cycle) is added directly as historical rows, as simple-history would have
recorded them, so that building the dataset takes minutes rather than the hours that 800,000 individual saves
would. Each cycle is built in chunks of countries, one transaction each, oldest cycle first (so trends derive
from the cycle before).
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import connection, connections, router, transaction
from django.test import override_settings
from django.utils import timezone

from assessments.demo.loader import demo_load
from assessments.framework.services import cycle_create
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
from assessments.workflow.items import country_assessments_add
from assessments.workflow.previous import previous_cycle_items
from assessments.workflow.services import item_request_changes, item_submit
from benchmarks.un_members import UN_MEMBERS

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
# The open cycle last; the demo holds 2019, 2022 and 2025, older cycles are added before 2019 when asked for.
ALL_CYCLES = [2013, 2016, 2019, 2022, 2025]
CYCLES = ALL_CYCLES[-3:]
OPEN_CYCLE = ALL_CYCLES[-1]
# Every UN member state: the region first (the default 40 countries), then the others in code order.
COUNTRIES = REGION + [code for code in UN_MEMBERS if code not in REGION]
# Assessments written per transaction and per call of the content service.
CHUNK = 25
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


def cycles_ensure(years: list[int]) -> dict[int, Cycle]:
    """The cycles `years` (demo cycles plus older ones: 2013, 2016, each the previous of the next)."""
    cycles = {cycle.year: cycle for cycle in Cycle.objects.filter(year__in=ALL_CYCLES)}
    first_demo = min(cycles)
    older = [year for year in ALL_CYCLES if year < first_demo and year >= min(years)]
    previous = None
    for year in older:
        introduction = cycles[first_demo].introduction.replace(str(first_demo), str(year))
        cycles[year] = previous = cycle_create(year=year, previous=previous, introduction=introduction)
    if previous is not None and cycles[first_demo].previous_id is None:
        cycles[first_demo].previous = previous
        cycles[first_demo].full_clean()
        cycles[first_demo].save(update_fields=["previous"])
    return {year: cycles[year] for year in years}


# The workflow's notifications (submitted, changes requested) would mail every simulated person.
@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def dataset_build(
    *, countries: int = 40, cycles: int = 3, revisions_per_item: int = 22, seed: int = 2025, progress=None
) -> DatasetSize:
    """Build the dataset on top of the demo data (idempotent per country and cycle); return what it holds.

    `countries`: up to the 193 UN member states (the region's 40 first); `cycles`: up to 5, ending with the open
    2025 cycle. `progress`, if given, is called with a line of text after each chunk."""
    if not 1 <= countries <= len(COUNTRIES):
        raise ValueError(f"countries: 1 to {len(COUNTRIES)}")
    if not 1 <= cycles <= len(ALL_CYCLES):
        raise ValueError(f"cycles: 1 to {len(ALL_CYCLES)}")
    rng = random.Random(seed)
    with transaction.atomic():
        demo_load()
        years = ALL_CYCLES[-cycles:]
        cycle_rows = cycles_ensure(years)
        keys = _sources(rng)
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
    codes = COUNTRIES[:countries]
    country_rows = {country.code: country for country in Country.objects.filter(code__in=codes)}
    codes = [code for code in codes if code in country_rows]
    now = timezone.now()
    editor = User.objects.get(username="editor")
    for year in years:  # oldest first: a cycle's trends derive from the one before
        cycle = cycle_rows[year]
        present = set(
            CountryAssessment.objects.filter(cycle=cycle, country__code__in=codes).values_list(
                "country__code", flat=True
            )
        )
        todo = [code for code in codes if code not in present]
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            with transaction.atomic():
                assessments = country_assessments_add(
                    cycle=cycle, countries=[country_rows[code] for code in chunk], user=admin, reason=REASON
                )
                items = list(
                    AssessmentItem.objects.filter(country_assessment__in=assessments)
                    .select_related("indicator", "country_assessment__cycle", "country_assessment__country")
                    .order_by("country_assessment_id", "pk")
                )
                if year != OPEN_CYCLE:
                    _finished(items, rng, keys, admin)
                else:
                    by_assessment: dict[int, list[AssessmentItem]] = {}
                    for item in items:
                        by_assessment.setdefault(item.country_assessment_id, []).append(item)
                    for assessment in assessments:
                        index = codes.index(assessment.country.code)
                        # Ten researcher/reviewer pairs share the countries; the demo pair also takes the first
                        # three, so its dashboard holds four assessments, as a researcher's would.
                        pairs = [team[index % len(team)]] + ([(researcher, reviewer)] if index < 3 else [])
                        Assignment.objects.bulk_create(
                            [
                                Assignment(country_assessment=assessment, user=person, role=role)
                                for people in pairs
                                for person, role in zip(people, AssignmentRole.values, strict=True)
                            ],
                            ignore_conflicts=True,
                        )
                        _in_progress(by_assessment[assessment.pk], rng, keys, pairs[0], editor)
                _older_revisions(items, now, researcher, revisions_per_item)
            if progress:
                progress(f"  {year}: {start + len(chunk)}/{len(todo)} countries")
    search_reindex()  # the older revisions above were bulk-created, past the write path that keeps the index current
    if connection.vendor == "postgresql":
        # After a bulk load PostgreSQL plans with the statistics of the empty tables until autovacuum's next
        # ANALYZE (the overview's progress query: a 7,000-row sort spilled to disk, 14 ms instead of 7 ms); a
        # deployment has had that ANALYZE long before anyone looks, so the bench runs it now.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    return DatasetSize(
        countries=CountryAssessment.objects.values("country").distinct().count(),
        sources=Source.objects.count(),
        citations=Citation.objects.count(),
        items=AssessmentItem.objects.filter(kind=ItemKind.INDICATOR).count(),
        history_rows=sum(
            model.history.count() for model in (AssessmentItem, Citation, Source, CountryAssessment, Assignment)
        ),
    )


def _sources(rng) -> list[str]:
    """2,000 sources in the shared library (beside the demo's); their keys."""
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
    return list(Source.objects.filter(key__startswith="bench-").values_list("key", flat=True))


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
    notes growing word by word (historical rows only; they describe the past and change no current state).

    One prepared INSERT run for all rows (executemany): the same rows bulk_create would write, without building
    a model instance for each of the hundreds of thousands."""
    History = AssessmentItem.history.model
    connection = connections[router.db_for_write(History)]
    fields = [field for field in History._meta.concrete_fields if not field.primary_key]
    varying = {"rating", "notes", "history_date"}
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(History._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = []
    for item in AssessmentItem.objects.filter(pk__in=[i.pk for i in items], kind=ItemKind.INDICATOR):
        template = History(
            id=item.pk,
            kind=item.kind,
            rating="",
            trend="",
            trend_override_reason="",
            notes="",
            status=ItemStatus.DRAFT,
            version=1,
            approved_version=0,
            country_assessment_id=item.country_assessment_id,
            indicator_id=item.indicator_id,
            last_edited_by_id=researcher.pk,
            history_date=now,
            history_change_reason="edited",
            history_type="~",
            history_user_id=researcher.pk,
        )
        fixed = [
            None if field.name in varying else field.get_db_prep_save(getattr(template, field.attname), connection)
            for field in fields
        ]
        words = item.notes.split()
        for revision in range(1, revisions - 1):
            values = {
                "rating": item.rating if revision > 2 else "",
                "notes": " ".join(words[: max(0, len(words) * revision // revisions)]),
                "history_date": now - timedelta(days=revisions - revision, minutes=item.pk % 60),
            }
            rows.append(
                [
                    field.get_db_prep_save(values[field.name], connection) if field.name in varying else value
                    for field, value in zip(fields, fixed, strict=True)
                ]
            )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


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


__all__ = ["ALL_CYCLES", "COUNTRIES", "CYCLES", "REGION", "DatasetSize", "Trend", "dataset_build", "dataset_publish"]
