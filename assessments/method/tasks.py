"""The background task of second assessments: their emails, sent after the request or rating commits."""

import uuid

from django.core.cache import cache
from django_tasks import task

from assessments.background.retry import enqueue_on_commit, retrying

SENT_MARKER_SECONDS = 7 * 24 * 60 * 60


@task()
@retrying()
def send_second_assessment_notification(second_ids: list[int], event: str, key: str = "") -> int:
    """Email the people a second-assessment event concerns (method.notifications), once per `key`."""
    from .notifications import notify_second_event

    marker = f"r2p:second-assessment-sent:{key}" if key else ""
    if marker and not cache.add(marker, 1, SENT_MARKER_SECONDS):
        return 0  # a previous attempt sent it
    try:
        return notify_second_event(second_ids=second_ids, event=event)
    except BaseException:
        if marker:
            cache.delete(marker)
        raise


def second_assessment_notification_enqueue(*, second_ids: list[int], event: str) -> None:
    enqueue_on_commit(send_second_assessment_notification, list(second_ids), event, key=uuid.uuid4().hex)
