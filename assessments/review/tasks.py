"""The review feature's background task: the day's due-date reminders and digests."""

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from assessments.background.retry import retrying

DONE_SECONDS = 36 * 60 * 60


def done_marker(day) -> str:
    return f"r2p:daily-mail-done:{day:%Y-%m-%d}"


@task()
@retrying(attempts=3, backoff=300)
def send_daily_mail() -> dict:
    """Send today's reminders and digests when their hour has come (idempotent: one email per person and kind a
    day); mark the day done so the clock stops enqueueing it."""
    from .deadlines import daily_mail_run

    now = timezone.now()
    sent = daily_mail_run(now=now)
    if sent is None:
        return {"waiting": "before the day's mail hour"}
    cache.set(done_marker(timezone.localdate(now)), 1, DONE_SECONDS)
    return sent
