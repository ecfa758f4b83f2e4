"""Scheduled publishing: an editor orders one annex, or every approved annex of a cycle, published at a moment.

The worker runs the release at `publish_at` (a deferred task; the worker's start-up sweep catches a missed
one). Each annex is all-or-nothing: its files are rendered and stored first, then the edition and its file
rows are written in one transaction, so the public never sees an annex whose downloads are not ready. An annex
that cannot be published (a blocker appeared) is left out and named in the release's outcome."""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.models import CountryAssessment, Cycle, Edition, ReleaseStatus, ScheduledRelease
from assessments.publishing.annex import annex_build
from assessments.publishing.html import annex_body_html
from assessments.publishing.services import annex_publish, can_publish, publish_blockers

from .files import edition_files_prepare
from .retry import enqueue, enqueue_on_commit

logger = logging.getLogger(__name__)


def release_targets(release: ScheduledRelease) -> list[CountryAssessment]:
    """The annexes a release publishes: its one annex, or every annex of the cycle not yet published."""
    assessments = CountryAssessment.objects.select_related("country", "cycle__previous")
    if release.country_assessment_id:
        return list(assessments.filter(pk=release.country_assessment_id, editions__isnull=True))
    return list(
        assessments.filter(cycle_id=release.cycle_id, items__isnull=False, editions__isnull=True)
        .distinct()
        .order_by("country__name")
    )


@transaction.atomic
def release_schedule(
    *, cycle: Cycle, publish_at: datetime, user, country_assessment: CountryAssessment | None = None
) -> ScheduledRelease:
    if not can_publish(user):
        raise PermissionDenied("Only editors and administrators schedule releases.")
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": "Choose a moment in the future."})
    if country_assessment is not None:
        if country_assessment.cycle_id != cycle.pk:
            raise ValidationError({"country_assessment": "This assessment belongs to another cycle."})
        if Edition.objects.filter(country_assessment=country_assessment).exists():
            raise ValidationError(
                {"country_assessment": "This annex is published already; publish a corrected edition by hand."}
            )
    pending = ScheduledRelease.objects.select_for_update().filter(cycle=cycle, status=ReleaseStatus.SCHEDULED)
    if pending.filter(country_assessment=country_assessment).exists():
        raise ValidationError("A release of this annex or cycle is scheduled already; cancel it first.")
    release = ScheduledRelease(
        cycle=cycle, country_assessment=country_assessment, publish_at=publish_at, created_by=user
    )
    release.full_clean()
    release.save()
    from .tasks import run_release

    enqueue_on_commit(run_release, release.pk, run_after=publish_at)
    return release


@transaction.atomic
def release_cancel(*, release: ScheduledRelease, user) -> ScheduledRelease:
    if not can_publish(user):
        raise PermissionDenied("Only editors and administrators cancel releases.")
    release = ScheduledRelease.objects.select_for_update().get(pk=release.pk)
    if release.status != ReleaseStatus.SCHEDULED:
        raise ValidationError("Only a scheduled release can be cancelled.")
    release.status = ReleaseStatus.CANCELLED
    release.full_clean()
    release.save()
    return release


def _publish_one(country_assessment: CountryAssessment, *, user, published_at: datetime) -> Edition:
    """Render and store the annex's files for `published_at`, then publish it with them (one transaction)."""
    blockers = publish_blockers(country_assessment)
    if blockers:
        raise ValidationError(blockers)
    latest = Edition.objects.filter(country_assessment=country_assessment).aggregate(n=Max("number"))["n"] or 0
    annex = annex_build(country_assessment, edition=latest + 1, published_at=published_at, errata="")
    prepared = edition_files_prepare(annex.to_snapshot(), annex_body_html(annex))
    return annex_publish(
        country_assessment=country_assessment,
        user=user,
        published_at=published_at,
        prepared_files=prepared,
        reason=f"published v{latest + 1} (scheduled release)",
    )


def release_run(*, release_id: int) -> dict:
    """Run a due release; a release not yet due is deferred again, a finished one does nothing.

    Safe to run again after a crash: annexes published by the first run are no longer targets."""
    with transaction.atomic():
        release = ScheduledRelease.objects.select_for_update().select_related("created_by").get(pk=release_id)
        if release.status != ReleaseStatus.SCHEDULED:
            return {"skipped": release.status}
        if release.publish_at > timezone.now():
            from .tasks import run_release

            enqueue_on_commit(run_release, release.pk, run_after=release.publish_at)
            return {"deferred": release.publish_at.isoformat()}
    published, failed, left_out = [], [], []
    for country_assessment in release_targets(release):
        if not release.country_assessment_id and publish_blockers(country_assessment):
            left_out.append(f"{country_assessment}: left out (not every item is approved)")
            continue
        try:
            edition = _publish_one(country_assessment, user=release.created_by, published_at=release.publish_at)
        except (ValidationError, PermissionDenied) as error:
            if Edition.objects.filter(country_assessment=country_assessment).exists():
                published.append(f"{country_assessment}: published already")  # by a concurrent run
                continue
            failed.append(f"{country_assessment}: not published ({'; '.join(error.messages)})")
        except Exception as error:  # one annex's failure never stops the others; it is reported
            logger.exception("release %s: %s failed", release.pk, country_assessment)
            failed.append(f"{country_assessment}: not published ({error!r})")
        else:
            published.append(f"{country_assessment}: edition {edition.number}")
    release.status = ReleaseStatus.PARTIAL if failed else ReleaseStatus.DONE
    release.finished_at = timezone.now()
    release.outcome = "\n".join(
        [f"{len(published)} published, {len(failed)} failed, {len(left_out)} left out.", *published, *failed, *left_out]
    )
    release.full_clean()
    release.save(update_fields=["status", "finished_at", "outcome"])
    return {"published": len(published), "failed": len(failed)}


def releases_due_enqueue() -> int:
    """The worker's start-up sweep: enqueue every release whose moment has passed (run_release is idempotent)."""
    from .tasks import run_release

    due = list(
        ScheduledRelease.objects.filter(status=ReleaseStatus.SCHEDULED, publish_at__lte=timezone.now()).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        enqueue(run_release, pk)
    return len(due)
