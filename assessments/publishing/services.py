"""Publishing a country's annex as an immutable, numbered edition; who may publish and preview drafts."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags

from assessments.background.files import edition_files_after_publish
from assessments.framework.scoring import check_trends
from assessments.limits import ERRATA_MAX_CHARS
from assessments.models import AssessmentItem, Citation, CountryAssessment, Edition, ItemStatus
from assessments.publishing.annex import annex_build, content_hash
from assessments.publishing.html import annex_body_html
from assessments.search.services import search_index_update
from assessments.workflow.permissions import can_preview_draft, can_publish  # noqa: F401 (re-exported)


class Blocker(str):
    """One thing that stops publishing, as text, with `url` of the item to fix (empty when there is none)."""

    url: str = ""

    def __new__(cls, text: str, url: str = "") -> "Blocker":
        blocker = super().__new__(cls, text)
        blocker.url = url
        return blocker


def _item_url(item: AssessmentItem, country_assessment: CountryAssessment) -> str:
    item.country_assessment = country_assessment  # loaded already: no query per item
    return item.get_absolute_url()


def publish_blockers(
    country_assessment: CountryAssessment, *, items: list[AssessmentItem] | None = None
) -> list[Blocker]:
    """Everything that stops the annex being published, one line each with a link to the item; empty when it may
    be published.

    `items` (in reading order) may be passed by a page that has loaded them already."""
    if items is None:
        items = list(AssessmentItem.objects.filter(country_assessment=country_assessment).in_reading_order())
    if not items:
        return [Blocker("This assessment has no items to publish (it holds a legacy score only).")]
    blockers = []
    for item in items:
        problem = ""
        if item.status != ItemStatus.APPROVED:
            problem = f"{item.label}: {item.get_status_display().lower()}, not approved"
        elif item.is_indicator and not item.rating:
            problem = f"{item.label}: approved but has no rating"
        elif not item.is_indicator and not item.notes.strip():
            problem = f"{item.label}: approved but empty"
        if problem:
            blockers.append(Blocker(problem, _item_url(item, country_assessment)))
    unresolved = (
        Citation.objects.filter(item__country_assessment=country_assessment)
        .unresolved()
        .select_related("item__indicator")
        .order_by("item__indicator__position", "item__kind", "position")
    )
    for citation in unresolved:
        text = f"{citation.item.label}: citation key @{citation.key} is not in the source library"
        blockers.append(Blocker(text, _item_url(citation.item, country_assessment)))
    return blockers


def trend_problems(country_assessment: CountryAssessment) -> list[str]:
    """Trends that contradict the previous cycle's ratings or its published score: publishing them needs an
    editor's recorded reason."""
    return [f"{problem.indicator_code}: {problem.message}" for problem in check_trends(country_assessment).problems]


@dataclass
class IndicatorChange:
    code: str
    title: str
    rating: tuple[str, str] | None  # (before, after) when it changed
    trend: tuple[str, str] | None
    notes_diff: str  # word diff of the notes' text, safe HTML; empty when unchanged


@dataclass
class EditionChanges:
    """What the next edition changes against the latest one (None: it will be the first edition)."""

    previous_number: int | None
    score: tuple[int | None, int | None]
    indicators: list[IndicatorChange]
    narrative: list[tuple[str, str]]  # (part, word diff) of the overview and conclusion when changed


def _text(html: str) -> str:
    return " ".join(strip_tags(html or "").split())


def edition_changes(country_assessment: CountryAssessment) -> EditionChanges:
    """Per indicator, the rating and trend changes and a word diff of the notes, against the latest edition."""
    from assessments.history.diff import word_diff_html

    annex = annex_build(country_assessment).to_snapshot()
    latest = Edition.objects.filter(country_assessment=country_assessment).only("number", "snapshot").latest_first()
    latest = latest.first()
    if latest is None:
        return EditionChanges(None, (None, annex["score"]), [], [])
    before = latest.snapshot
    old = {row["code"]: row for row in before.get("indicators", [])}
    changes = []
    for row in annex["indicators"]:
        was = old.get(row["code"], {})
        rating = (was.get("rating", ""), row["rating"]) if was.get("rating", "") != row["rating"] else None
        trend = (was.get("trend", ""), row["trend"]) if was.get("trend", "") != row["trend"] else None
        old_text, new_text = _text(was.get("notes_html", "")), _text(row["notes_html"])
        diff = word_diff_html(old_text, new_text) if old_text != new_text else ""
        if rating or trend or diff:
            changes.append(IndicatorChange(row["code"], row["title"], rating, trend, diff))
    narrative = []
    for part in ("overview", "conclusion"):
        old_text, new_text = _text(before.get(part, {}).get("notes_html", "")), _text(annex[part]["notes_html"])
        if old_text != new_text:
            narrative.append((part.title(), word_diff_html(old_text, new_text)))
    return EditionChanges(latest.number, (before.get("score"), annex["score"]), changes, narrative)


def publish_warnings(country_assessment: CountryAssessment, *, items: list[AssessmentItem] | None = None) -> list[str]:
    """What editors should know before publishing but may publish over (issue 19: stale or undated evidence)."""
    from assessments.method.evidence import freshness_warnings

    return freshness_warnings(country_assessment, items=items)


@transaction.atomic
def annex_publish(
    *,
    country_assessment: CountryAssessment,
    user,
    errata: str = "",
    reason: str | None = None,
    trend_reason: str = "",
    published_at: datetime.datetime | None = None,
    publication_date: datetime.date | None = None,
    prepared_files=None,
) -> Edition:
    """Freeze the approved annex as the next edition (v1, v2…); a later edition must say what it corrects.

    `publication_date`: the date the annex carries, today unless given (an archive edition entered later
    carries the day the centre first published it; it cannot be in the future).
    The history records `reason` (default "published vN"). Its files are rendered by background tasks after
    the commit, or come in `prepared_files` (a scheduled release renders them first, for `published_at`)."""
    if not can_publish(user):
        raise PermissionDenied("Only editors and administrators publish annexes.")
    # Lock the assessment so two editors publishing at once cannot take the same number.
    country_assessment = (
        CountryAssessment.objects.select_for_update(of=("self",))
        .select_related("country", "cycle__previous")
        .get(pk=country_assessment.pk)
    )
    blockers = publish_blockers(country_assessment)
    if blockers:
        raise ValidationError(["The annex cannot be published yet:", *[str(blocker) for blocker in blockers]])
    trend_reason = trend_reason.strip()
    if trend_problems(country_assessment) and not trend_reason:
        raise ValidationError(
            {"trend_reason": "Some trends contradict the previous cycle: say why they are published as they are."}
        )
    errata = errata.strip()
    if len(errata) > ERRATA_MAX_CHARS:  # refused before the annex is built with it
        raise ValidationError({"errata": f"The errata are too long: at most {ERRATA_MAX_CHARS:,} characters."})
    latest = Edition.objects.filter(country_assessment=country_assessment).aggregate(n=Max("number"))["n"] or 0
    number = latest + 1
    if number > 1 and not errata:
        raise ValidationError({"errata": f"Say what edition {number} corrects; the note is shown on the annex."})
    if number == 1 and errata:
        raise ValidationError({"errata": "A first edition corrects nothing; leave the errata empty."})

    # An archived annex keeps its original publication (assessments.archive); a scheduled release its moment.
    published_at = (published_at or timezone.now()).replace(microsecond=0)
    today = timezone.localdate()
    publication_date = publication_date or timezone.localdate(published_at)
    if publication_date > today:
        raise ValidationError({"publication_date": "The publication date cannot be in the future."})
    annex = annex_build(
        country_assessment,
        edition=number,
        published_at=published_at,
        publication_date=publication_date,
        errata=errata,
    )
    snapshot = annex.to_snapshot()
    if number > 1:
        previous = Edition.objects.only("snapshot").get(country_assessment=country_assessment, number=latest)
        if _annex_content(previous.snapshot) == _annex_content(snapshot):
            raise ValidationError(
                f"The annex reads exactly as v{latest}: there is nothing for a new edition to correct."
            )
    edition = Edition(
        country_assessment=country_assessment,
        number=number,
        published_at=published_at,
        publication_date=publication_date,
        published_by=user,
        errata=errata,
        content_hash=content_hash(snapshot),
        html=annex_body_html(annex),
        snapshot=snapshot,
    )
    edition.full_clean()
    edition._history_user = user
    edition._change_reason = reason or f"published v{number}"
    if trend_reason:
        edition._change_reason += f"; trends as published because: {trend_reason}"
    edition.save()
    search_index_update(editions=[edition])
    edition_files_after_publish(edition, prepared=prepared_files)
    return edition


# What says when and why an edition was published, rather than what the annex says.
_EDITION_KEYS = {"edition", "published_at", "publication_date", "errata"}


def _annex_content(snapshot: dict) -> dict:
    return {key: value for key, value in snapshot.items() if key not in _EDITION_KEYS}
