"""Publishing a country's annex as an immutable, numbered edition; who may publish and preview drafts."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.background.files import edition_files_after_publish
from assessments.models import AssessmentItem, Assignment, Citation, CountryAssessment, Edition, ItemStatus
from assessments.publishing.annex import annex_build, content_hash
from assessments.publishing.html import annex_body_html
from assessments.services.permissions import is_editor


def can_publish(user) -> bool:
    return is_editor(user)


def can_preview_draft(user, country_assessment: CountryAssessment) -> bool:
    """Editors, admins and the people assigned to the assessment may export a draft preview."""
    if not user.is_authenticated:
        return False
    if is_editor(user):
        return True
    return Assignment.objects.filter(country_assessment=country_assessment, user=user).exists()


def publish_blockers(country_assessment: CountryAssessment, *, items: list[AssessmentItem] | None = None) -> list[str]:
    """Everything that stops the annex being published, one line each; empty when it may be published.

    `items` (in reading order) may be passed by a page that has loaded them already."""
    if items is None:
        items = list(AssessmentItem.objects.filter(country_assessment=country_assessment).in_reading_order())
    if not items:
        return ["This assessment has no items to publish (it holds a legacy score only)."]
    blockers = []
    for item in items:
        if item.status != ItemStatus.APPROVED:
            blockers.append(f"{item.label}: {item.get_status_display().lower()}, not approved")
        elif item.is_indicator and not item.rating:
            blockers.append(f"{item.label}: approved but has no rating")
        elif not item.is_indicator and not item.notes.strip():
            blockers.append(f"{item.label}: approved but empty")
    unresolved = (
        Citation.objects.filter(item__country_assessment=country_assessment)
        .unresolved()
        .select_related("item__indicator")
        .order_by("item__indicator__position", "item__kind", "position")
    )
    for citation in unresolved:
        blockers.append(f"{citation.item.label}: citation key @{citation.key} is not in the source library")
    return blockers


@transaction.atomic
def annex_publish(
    *,
    country_assessment: CountryAssessment,
    user,
    errata: str = "",
    reason: str | None = None,
    published_at: datetime | None = None,
    prepared_files=None,
) -> Edition:
    """Freeze the approved annex as the next edition (v1, v2…); a later edition must say what it corrects.

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
        raise ValidationError(["The annex cannot be published yet:", *blockers])
    errata = errata.strip()
    latest = Edition.objects.filter(country_assessment=country_assessment).aggregate(n=Max("number"))["n"] or 0
    number = latest + 1
    if number > 1 and not errata:
        raise ValidationError({"errata": f"Say what edition {number} corrects; the note is shown on the annex."})
    if number == 1 and errata:
        raise ValidationError({"errata": "A first edition corrects nothing; leave the errata empty."})

    published_at = (published_at or timezone.now()).replace(microsecond=0)
    annex = annex_build(country_assessment, edition=number, published_at=published_at, errata=errata)
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
        published_by=user,
        errata=errata,
        content_hash=content_hash(snapshot),
        html=annex_body_html(annex),
        snapshot=snapshot,
    )
    edition.full_clean()
    edition._history_user = user
    edition._change_reason = reason or f"published v{number}"
    edition.save()
    edition_files_after_publish(edition, prepared=prepared_files)
    return edition


# What says when and why an edition was published, rather than what the annex says.
_EDITION_KEYS = {"edition", "published_at", "errata"}


def _annex_content(snapshot: dict) -> dict:
    return {key: value for key, value in snapshot.items() if key not in _EDITION_KEYS}
