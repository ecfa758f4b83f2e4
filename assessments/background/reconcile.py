"""What the worker does first: enqueue the work a crash or a lost message left undone (all tasks idempotent)."""

from .files import edition_files_enqueue, editions_missing_files
from .releases import releases_due_enqueue


def _renders_waiting() -> set[tuple[int, str]]:
    """(edition, format) of render tasks waiting in the database queue (RQ's queue is not searched)."""
    from django.conf import settings

    if settings.R2P_TASKS_BACKEND != "database":
        return set()
    from django_tasks_db.models import DBTaskResult

    from .tasks import render_edition_file

    waiting = DBTaskResult.objects.ready().filter(task_path=render_edition_file.module_path)
    return {tuple(row["args"][:2]) for row in waiting.values_list("args_kwargs", flat=True) if len(row["args"]) >= 2}


def reconcile() -> dict[str, int]:
    """Missing files of published editions and releases past due; each enqueued once (safe to repeat)."""
    files = 0
    waiting = _renders_waiting()
    for edition, missing in editions_missing_files():
        missing = [fmt for fmt in missing if (edition.pk, fmt) not in waiting]
        if missing:
            edition_files_enqueue(edition, missing, force=True, on_commit=False)
            files += len(missing)
    return {"files": files, "releases": releases_due_enqueue()}
