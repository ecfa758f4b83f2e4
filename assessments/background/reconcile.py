"""What the worker does first: enqueue the work a crash or a lost message left undone (all tasks idempotent)."""

from .files import edition_files_enqueue, editions_missing_files
from .releases import releases_due_enqueue


def reconcile() -> dict[str, int]:
    """Missing files of published editions and releases past due; each enqueued once (safe to repeat)."""
    files = 0
    for edition, missing in editions_missing_files():
        edition_files_enqueue(edition, missing, force=True, on_commit=False)
        files += len(missing)
    return {"files": files, "releases": releases_due_enqueue()}
