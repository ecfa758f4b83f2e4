"""Tasks a dead worker left running in the database queue, and the partial files it left in storage.

django-tasks-db marks a row RUNNING when a worker claims it, and SUCCESSFUL or FAILED when the task returns or
raises; a worker killed in between (SIGKILL, out of memory, a machine lost) leaves the row RUNNING for ever.
`r2p_worker` names each worker `<pid>@<host>:<random>` and keeps a heartbeat in the cache while it lives. A
running row whose worker is gone — its process no longer exists on this host; on another host, no heartbeat in
a shared cache (Redis), or, without one, running for longer than RUNNING_LIMIT_SECONDS — is reclaimed: marked
failed with a WorkerLost error, then enqueued again when the task's attempts allow it (every task is idempotent)
or kept on the failed-tasks page (`FailedTask`) when they do not. `r2p_worker` reclaims at start-up and every
RECLAIM_SECONDS.

Files are stored under a temporary `.partial-<pid>-<host>~…` name and renamed into place
(files.file_store_whole), so a killed render leaves at most such a file, never a half file under a real name;
those of dead processes are removed here too.
"""

import logging
import os
import re
import socket
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
HEARTBEAT_TTL_SECONDS = 60
RECLAIM_SECONDS = 60
# Without a shared cache, a task running this long on a worker of another host is taken as lost.
RUNNING_LIMIT_SECONDS = 60 * 60
WORKER_ID = re.compile(r"^(?P<pid>\d+)@(?P<host>[^:]+):")
PARTIAL_PREFIX = ".partial-"
PARTIAL_NAME = re.compile(r"^\.partial-(?P<pid>\d+)-(?P<host>[^~]+)~")
PARTIAL_DIRECTORIES = ("editions",)


class WorkerLost(Exception):
    """The worker running a task stopped (killed or crashed) before the task finished."""


def host_name() -> str:
    return socket.gethostname().split(".")[0][:40] or "localhost"


def worker_id_new() -> str:
    """`<pid>@<host>:<random>`: unique, and says where to look for the process (at most 64 characters)."""
    return f"{os.getpid()}@{host_name()}:{get_random_string(8)}"


def partial_prefix() -> str:
    """The temporary name prefix of a file this process is writing into storage."""
    return f"{PARTIAL_PREFIX}{os.getpid()}-{host_name()}~"


def _heartbeat_key(worker_id: str) -> str:
    return f"r2p:worker-heartbeat:{worker_id}"


def heartbeat(worker_id: str) -> None:
    cache.set(_heartbeat_key(worker_id), timezone.now().isoformat(), HEARTBEAT_TTL_SECONDS)


def _shared_cache() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def worker_alive(worker_id: str, *, started_at=None) -> bool:
    """Whether the worker that claimed a task may still be running it."""
    match = WORKER_ID.match(worker_id or "")
    if match and match["host"] == host_name():
        return _process_exists(int(match["pid"]))
    if _shared_cache():
        return cache.get(_heartbeat_key(worker_id)) is not None
    return started_at is None or timezone.now() - started_at < timedelta(seconds=RUNNING_LIMIT_SECONDS)


@dataclass
class Reclaimed:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    partial_files: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.requeued)} tasks of dead workers enqueued again, {len(self.failed)} failed, "
            f"{len(self.partial_files)} partial files removed"
        )


def tasks_reclaim() -> Reclaimed:
    """Resolve the database queue's rows left RUNNING by dead workers; remove their partial files."""
    from django_tasks_db.models import DBTaskResult

    report = Reclaimed()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("pk", "worker_ids", "started_at")
    for pk, worker_ids, started_at in list(running):
        worker_id = worker_ids[-1] if worker_ids else ""
        if worker_alive(worker_id, started_at=started_at):
            continue
        outcome = _reclaim(pk, worker_id)
        if outcome:
            getattr(report, outcome).append(str(pk))
    report.partial_files = partial_files_remove()
    return report


def _reclaim(pk, worker_id: str) -> str | None:
    from django_tasks_db.models import DBTaskResult

    from .failures import failed_task_record
    from .retry import enqueue

    with transaction.atomic():
        row = DBTaskResult.objects.select_for_update().filter(pk=pk, status=TaskResultStatus.RUNNING).first()
        if row is None:  # finished, or reclaimed by another worker meanwhile
            return None
        started = timezone.localtime(row.started_at).strftime("%Y-%m-%d %H:%M:%S %Z") if row.started_at else "?"
        args, kwargs = list(row.args_kwargs.get("args", [])), dict(row.args_kwargs.get("kwargs", {}))
        attempt = int(kwargs.get("attempt", 1))
        try:
            task = import_string(row.task_path)
            attempts = getattr(task.func, "max_attempts", 1)
        except ImportError:
            task, attempts = None, 1
        again = task is not None and attempt < attempts
        row.set_failed(
            WorkerLost(
                f"The worker {worker_id or '(unknown)'} stopped (killed or crashed) while running this task "
                f"(attempt {attempt} of {attempts}, started {started}); "
                + (
                    f"enqueued again as attempt {attempt + 1}."
                    if again
                    else "no attempt is left: retry it here once the cause is mended."
                )
            )
        )
        logger.warning("task %s (%s) of dead worker %s reclaimed", row.pk, row.task_path, worker_id)
        if again:
            enqueue(task, *args, **{**kwargs, "attempt": attempt + 1})
            return "requeued"
        try:
            failed_task_record(row.task_result)  # the failed-tasks page shows it, with the error above
        except (ImportError, SuspiciousOperation):
            logger.exception("task %s points to no task (%s)", row.pk, row.task_path)
        return "failed"


def partial_files_remove() -> list[str]:
    """Temporary files of renders whose process is gone (file system storage: an upload is whole or absent)."""
    storage = default_storage
    if not isinstance(storage, FileSystemStorage):
        return []
    removed = []
    for directory in PARTIAL_DIRECTORIES:
        try:
            names = storage.listdir(directory)[1]
        except FileNotFoundError:
            continue
        for name in names:
            if not name.startswith(PARTIAL_PREFIX):
                continue
            path = f"{directory}/{name}"
            match = PARTIAL_NAME.match(name)
            if match and match["host"] == host_name():
                dead = not _process_exists(int(match["pid"]))
            else:
                age = timezone.now() - storage.get_modified_time(path)
                dead = age > timedelta(seconds=RUNNING_LIMIT_SECONDS)
            if dead:
                storage.delete(path)
                removed.append(path)
    return removed
