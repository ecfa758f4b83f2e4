"""Enqueueing after commit, on any backend, and retries with exponential backoff.

django-tasks (like Django 6's django.tasks) has no retries of its own: a task wrapped in `retrying` catches a
transient error, enqueues itself again with `attempt + 1` to run after a growing delay (where the backend can
defer; at once otherwise), and returns. Only the last attempt raises, so the backend records one failure, which
`failures` keeps for the staff page. Tasks must be idempotent: an attempt may run again after a crash."""

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import DEFAULT_TASK_PRIORITY

logger = logging.getLogger(__name__)

# Errors no retry can mend: the object is gone, the user may not, the data is invalid.
PERMANENT_ERRORS = (ObjectDoesNotExist, PermissionDenied, ValidationError)
DEFAULT_ATTEMPTS = 4
DEFAULT_BACKOFF_SECONDS = 30


def backoff_seconds(attempt: int, base: float = DEFAULT_BACKOFF_SECONDS) -> float:
    """Delay before attempt `attempt + 1`: base, 2×base, 4×base…"""
    return base * 2 ** (attempt - 1)


def enqueue(task, *args, run_after: datetime | None = None, delay: float = 0, **kwargs):
    """Enqueue now; `run_after`/`delay` defer it where the backend can (else it runs as soon as a worker may)."""
    if run_after is None and delay:
        run_after = timezone.now() + timedelta(seconds=delay)
    backend = task.get_backend()
    if run_after is not None and backend.supports_defer:
        task = task.using(run_after=run_after)
    priority = getattr(task.func, "priority", DEFAULT_TASK_PRIORITY)
    if backend.supports_priority and priority != task.priority:
        task = task.using(priority=priority)  # the database backend runs higher first; RQ in arrival order
    return task.enqueue(*args, **kwargs)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue once the current transaction commits (at once outside one): a worker never sees uncommitted rows.

    robust: the write has committed; a queue that cannot be reached is logged, and the worker's start-up sweep
    (`reconcile`) finds what was missed."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs), robust=True)


def retrying(
    *, attempts: int = DEFAULT_ATTEMPTS, backoff: float = DEFAULT_BACKOFF_SECONDS, priority: int = DEFAULT_TASK_PRIORITY
) -> Callable:
    """Decorate a task function (below @task) so transient errors are retried with exponential backoff.

    `priority` is applied by `enqueue` where the backend supports priorities (declaring it on @task would make
    the task unusable on RQ)."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except PERMANENT_ERRORS:
                raise
            except Exception as error:
                if attempt >= attempts:
                    raise
                delay = backoff_seconds(attempt, backoff)
                task = import_string(f"{func.__module__}.{func.__name__}")
                logger.warning("%s attempt %s failed (%r); retrying in %ss", func.__name__, attempt, error, delay)
                enqueue(task, *args, attempt=attempt + 1, delay=delay, **kwargs)
                return {"retrying": attempt + 1, "in_seconds": delay, "error": repr(error)[:500]}

        wrapper.max_attempts = attempts
        wrapper.priority = priority
        return wrapper

    return decorate
