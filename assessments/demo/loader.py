"""Load the demo archive: cycles 2019, 2022, 2025 and the Republic of Korea's 2022 annex."""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from assessments.accounts.services import demo_users_ensure
from assessments.citations.sources import source_fields_from_csl
from assessments.framework.services import countries_sync, cycle_create
from assessments.method.demo import COVERED_BY_DEFAULT, method_demo_ensure
from assessments.models import (
    Assignment,
    AssignmentRole,
    Country,
    CountryAssessment,
    ItemKind,
    Rating,
    Source,
    Trend,
)
from assessments.publishing.services import annex_publish, publish_blockers
from assessments.search.services import search_index_update
from assessments.workflow.content import ContentChange, WriteKind, items_content_write
from assessments.workflow.items import country_assessment_create

DATA_DIR = Path(__file__).resolve().parent / "data"
REASON = "demo load"
# The Korea 2022 annex carries no date. The centre's page on the assessments
# (https://r2pasiapacific.org/responsibility-protect-asia-pacific) says the 2022 regional assessment "has now
# been updated for May 2022"; the annex's latest source is of 9 May 2022 and it calls October 2022 upcoming.
# No day is given: the demo edition is dated the last day of that month.
KOREA_2022_PUBLICATION_DATE = date(2022, 5, 31)
# The introduction's two "here" links: the same page holds the 2019 assessment (its Part II is the
# methodology) and the 2022 update (the regional report); no deeper stable address is known.
ASSESSMENTS_PAGE = "https://r2pasiapacific.org/responsibility-protect-asia-pacific"


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    users: dict = field(default_factory=dict)


def demo_annex() -> dict:
    return yaml.safe_load((DATA_DIR / "annex-kor-2022.yaml").read_text(encoding="utf-8"))


def demo_sources() -> list[dict]:
    return json.loads((DATA_DIR / "sources.json").read_text(encoding="utf-8"))


@transaction.atomic
def demo_load(*, coverage_2025: bool = False) -> DemoReport:
    """Load everything that is missing; loading twice changes nothing.

    `coverage_2025`: give 2025 its coverage period too, which switches the change-rationale rule on there."""
    report = DemoReport()
    users = demo_users_ensure()
    report.users = {name: password for name, (_, password) in users.items()}
    admin = users["admin"][0]
    if countries_sync():
        report.created.append("countries")
    annex = demo_annex()

    links = {"methodology_url": ASSESSMENTS_PAGE, "regional_report_url": ASSESSMENTS_PAGE}
    cycle_2019 = cycle_create(year=2019, introduction=annex["introduction"].replace("2022", "2019"), **links)
    cycle_2022 = cycle_create(year=2022, previous=cycle_2019, introduction=annex["introduction"], **links)
    cycle_2025 = cycle_create(
        year=2025, previous=cycle_2022, introduction=annex["introduction"].replace("2022", "2025"), **links
    )
    covered = (*COVERED_BY_DEFAULT, 2025) if coverage_2025 else COVERED_BY_DEFAULT
    report.created += method_demo_ensure(covered=covered)  # issue 19: coverage periods and the codebook
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
        edition = annex_publish(
            country_assessment=korea_2022,
            user=users["editor"][0],
            publication_date=KOREA_2022_PUBLICATION_DATE,
            reason=REASON,
        )
        report.created.append(f"Republic of Korea 2022 published as edition v{edition.number}")
    return report


def _fill_annex(assessment: CountryAssessment, annex: dict, user) -> None:
    """The transcribed annex is the published record of 2022: it comes in on the archive path."""
    by_slug = {item.slug: item for item in assessment.items.select_related("indicator")}
    changes = [
        ContentChange(item=by_slug[ItemKind.OVERVIEW.value], values={"notes": annex["overview"].strip()}),
        ContentChange(item=by_slug[ItemKind.CONCLUSION.value], values={"notes": annex["conclusion"].strip()}),
    ]
    for row in annex["indicators"]:
        values = {"rating": Rating(row["rating"]).value, "trend": Trend(row["trend"]).value}
        changes.append(ContentChange(item=by_slug[row["code"]], values={**values, "notes": row["notes"].strip()}))
    items_content_write(changes=changes, user=user, reason=REASON, kind=WriteKind.ARCHIVE)
