"""The worker's clock: periodic jobs are enqueued from a thread of `r2p_worker`, never from a request.

Each tick enqueues what is due (the day's reminders and digests for now); the jobs are idempotent, so several
workers ticking at once cost a few no-op runs, and a cache marker keeps the queue from filling while a busy
worker has not yet reached the last one."""

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone

from .retry import enqueue

logger = logging.getLogger(__name__)


def clock_tick(*, now=None) -> list[str]:
    """Enqueue the periodic jobs that are due now; return their names."""
    from assessments.review.tasks import done_marker, send_daily_mail

    now = now or timezone.now()
    enqueued = []
    local = timezone.localtime(now)
    due = local.hour >= settings.R2P_DAILY_MAIL_HOUR and not cache.get(done_marker(local.date()))
    if due and cache.add("r2p:clock:daily-mail-queued", 1, max(int(settings.R2P_CLOCK_SECONDS), 1)):
        enqueue(send_daily_mail)
        enqueued.append("send_daily_mail")
    return enqueued


def clock_start(*, every: float | None = None) -> threading.Event:
    """Tick now and then every `every` seconds in a daemon thread; set the returned event to stop it."""
    every = settings.R2P_CLOCK_SECONDS if every is None else every
    stop = threading.Event()

    def run() -> None:
        while True:
            try:
                clock_tick()
            except Exception:  # the clock must outlive a database or cache hiccup
                logger.exception("clock tick failed")
            finally:
                close_old_connections()
            if stop.wait(every):
                return

    threading.Thread(target=run, name="r2p-clock", daemon=True).start()
    return stop
