"""The background tasks (django-tasks `@task`): each idempotent, each retried with backoff by `retrying`.

Enqueue through the `*_enqueue` helpers of the services (after commit), never from inside a task's own
transaction. Arguments are primary keys and plain values (JSON), never model instances."""

import uuid

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_tasks import task

from assessments.models import AssessmentItem, Edition, Source

from .retry import retrying

# Rendering the files of a just-published edition comes before anything else in the queue.
RENDER_PRIORITY = 10
RELEASE_PRIORITY = 20
SENT_MARKER_SECONDS = 7 * 24 * 60 * 60


@task()
@retrying(priority=RENDER_PRIORITY)
def render_edition_file(edition_id: int, fmt: str) -> dict:
    """Render and store one format of a published edition (nothing to do when it is stored already)."""
    from .files import edition_file_render

    edition = Edition.objects.get(pk=edition_id)
    record = edition_file_render(edition, fmt)
    return {"name": record.name, "size": record.size}


@task()
@retrying()
def send_item_notification(item_id: int, event: str, actor_id: int, note: str = "", key: str = "") -> int:
    """Email the people an item event concerns (assessments.workflow.notifications), once per `key`."""
    from assessments.workflow.notifications import notify_item_event

    marker = f"r2p:notification-sent:{key}" if key else ""
    if marker and not cache.add(marker, 1, SENT_MARKER_SECONDS):
        return 0  # a previous attempt sent it
    try:
        item = AssessmentItem.objects.select_related("indicator", "country_assessment__country").get(pk=item_id)
        actor = get_user_model().objects.get(pk=actor_id)
        return notify_item_event(item=item, event=event, actor=actor, note=note)
    except BaseException:
        if marker:
            cache.delete(marker)
        raise


@task()
@retrying(attempts=2, backoff=300)
def check_links(source_ids: list[int] | None = None, concurrency: int = 8, timeout: float = 10.0) -> dict:
    """Check cited URLs (assessments.citations.links) and record each source's status; safe to repeat."""
    from assessments.citations.links import links_check

    sources = Source.objects.filter(pk__in=source_ids).exclude(url="") if source_ids is not None else None
    report = links_check(sources=sources, concurrency=concurrency, timeout=timeout)
    return {"checked": len(report.results), "broken": len(report.broken)}


@task()
@retrying(priority=RELEASE_PRIORITY)
def run_release(release_id: int) -> dict:
    """Publish a scheduled release when its moment has come (a release runs once: its row is locked)."""
    from .releases import release_run

    return release_run(release_id=release_id)


def item_notification_enqueue(*, item: AssessmentItem, event: str, actor, note: str = "") -> None:
    """After the transition commits, email its audience in the background (once, whatever the retries)."""
    from .retry import enqueue_on_commit

    enqueue_on_commit(send_item_notification, item.pk, event, actor.pk, note, key=uuid.uuid4().hex)
