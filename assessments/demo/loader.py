"""Load the demo archive: cycles 2019, 2022, 2025 and the Republic of Korea's 2022 annex."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    Country,
    CountryAssessment,
    ItemKind,
    ItemStatus,
    Rating,
    Source,
    Trend,
)
from assessments.search.services import search_index_update
from assessments.services.accounts import demo_users_ensure
from assessments.services.framework import countries_sync, cycle_create
from assessments.services.items import citations_sync, country_assessment_create
from assessments.services.publishing import annex_publish, publish_blockers
from assessments.services.sources import source_fields_from_csl

DATA_DIR = Path(__file__).resolve().parent / "data"
REASON = "demo load"


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    users: dict = field(default_factory=dict)


def demo_annex() -> dict:
    return yaml.safe_load((DATA_DIR / "annex-kor-2022.yaml").read_text(encoding="utf-8"))


def demo_sources() -> list[dict]:
    return json.loads((DATA_DIR / "sources.json").read_text(encoding="utf-8"))


@transaction.atomic
def demo_load() -> DemoReport:
    """Load everything that is missing; loading twice changes nothing."""
    report = DemoReport()
    users = demo_users_ensure()
    report.users = {name: password for name, (_, password) in users.items()}
    admin = users["admin"][0]
    if countries_sync():
        report.created.append("countries")
    annex = demo_annex()

    cycle_2019 = cycle_create(year=2019, introduction=annex["introduction"].replace("2022", "2019"))
    cycle_2022 = cycle_create(year=2022, previous=cycle_2019, introduction=annex["introduction"])
    cycle_2025 = cycle_create(
        year=2025, previous=cycle_2022, introduction=annex["introduction"].replace("2022", "2025")
    )
    korea = Country.objects.by_code(annex["country"])

    entries = demo_sources()
    known = set(Source.objects.filter(key__in=[entry["id"] for entry in entries]).values_list("key", flat=True))
    new_sources = [Source(**source_fields_from_csl(entry)) for entry in entries if entry["id"] not in known]
    for source in new_sources:
        source.full_clean()
        source.refresh_author_text()  # bulk_create skips save(), which does this
    if new_sources:
        bulk_create_with_history(new_sources, Source, default_user=admin, default_change_reason=REASON)
        search_index_update(sources=Source.objects.filter(key__in=[source.key for source in new_sources]))
        report.created.append(f"{len(new_sources)} sources")

    if not CountryAssessment.objects.filter(country=korea, cycle=cycle_2019).exists():
        country_assessment_create(country=korea, cycle=cycle_2019, user=admin, reason=REASON, legacy_score=74)
        report.created.append("Republic of Korea 2019 (legacy score 74)")

    if not CountryAssessment.objects.filter(country=korea, cycle=cycle_2022).exists():
        assessment = country_assessment_create(country=korea, cycle=cycle_2022, user=admin, reason=REASON)
        _fill_annex(assessment, annex, admin)
        report.created.append("Republic of Korea 2022 annex (approved)")

    if not CountryAssessment.objects.filter(country=korea, cycle=cycle_2025).exists():
        assessment = country_assessment_create(country=korea, cycle=cycle_2025, user=admin, reason=REASON)
        assignments = [
            Assignment(country_assessment=assessment, user=users["researcher"][0], role=AssignmentRole.RESEARCHER),
            Assignment(country_assessment=assessment, user=users["reviewer"][0], role=AssignmentRole.REVIEWER),
        ]
        bulk_create_with_history(assignments, Assignment, default_user=admin, default_change_reason=REASON)
        report.created.append("Republic of Korea 2025 (empty, assigned to researcher and reviewer)")

    korea_2022 = CountryAssessment.objects.select_related("country", "cycle__previous").get(
        country=korea, cycle=cycle_2022
    )
    if not korea_2022.editions.exists() and not publish_blockers(korea_2022):
        edition = annex_publish(country_assessment=korea_2022, user=users["editor"][0], reason=REASON)
        report.created.append(f"Republic of Korea 2022 published as edition v{edition.number}")
    return report


def _fill_annex(assessment: CountryAssessment, annex: dict, user) -> None:
    by_slug = {item.slug: item for item in assessment.items.select_related("indicator")}
    texts = {ItemKind.OVERVIEW.value: annex["overview"], ItemKind.CONCLUSION.value: annex["conclusion"]}
    for slug, text in texts.items():
        by_slug[slug].notes = text.strip()
    for row in annex["indicators"]:
        item = by_slug[row["code"]]
        item.rating = Rating(row["rating"])
        item.trend = Trend(row["trend"])
        item.notes = row["notes"].strip()
    for item in by_slug.values():
        item.status = ItemStatus.APPROVED
        item.last_edited_by = user
        item.version += 1
        item.full_clean()
    items = list(by_slug.values())
    bulk_update_with_history(
        items,
        AssessmentItem,
        ["rating", "trend", "notes", "status", "last_edited_by", "version"],
        default_user=user,
        default_change_reason=REASON,
    )
    citations_sync(items=items, user=user, reason=REASON)
