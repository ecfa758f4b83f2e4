"""Failed tasks, on any backend: kept from the `task_finished` signal, listed for admins, retried by them."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from assessments.models import FailedTask, FailedTaskStatus
from assessments.workflow.permissions import can_manage_tasks  # noqa: F401  (re-exported for the views)

from .retry import enqueue_on_commit

logger = logging.getLogger(__name__)


def failed_task_record(task_result) -> FailedTask | None:
    """Keep a task's final failure (the last attempt, see `retrying`) once per result."""
    if task_result.status != TaskResultStatus.FAILED:
        return None
    error = task_result.errors[-1] if task_result.errors else None
    kwargs = {key: value for key, value in dict(task_result.kwargs).items() if key != "attempt"}
    failed, _ = FailedTask.objects.get_or_create(
        backend=task_result.backend,
        result_id=str(task_result.id),
        defaults={
            "task_path": task_result.task.module_path,
            "args_kwargs": {"args": list(task_result.args), "kwargs": kwargs},
            "exception_class": error.exception_class_path if error else "",
            "traceback": error.traceback if error else "",
            "failed_at": task_result.finished_at or timezone.now(),
        },
    )
    return failed


def _on_task_finished(sender, task_result, **kwargs) -> None:
    try:
        failed_task_record(task_result)
    except Exception:  # the worker must go on even if the failure cannot be kept
        logger.exception("could not record the failure of task %s", task_result.id)


task_finished.connect(_on_task_finished, dispatch_uid="r2p-failed-tasks")


@transaction.atomic
def failed_task_retry(*, failed_task: FailedTask, user) -> FailedTask:
    """Enqueue the task again with the same arguments (from attempt 1) and mark the failure retried."""
    if not can_manage_tasks(user):
        raise PermissionDenied("Only administrators retry background tasks.")
    failed_task = FailedTask.objects.select_for_update().get(pk=failed_task.pk)
    if failed_task.status != FailedTaskStatus.FAILED:
        raise ValidationError("This task has been retried already.")
    task = import_string(failed_task.task_path)
    failed_task.status = FailedTaskStatus.RETRIED
    failed_task.retried_at = timezone.now()
    failed_task.retried_by = user
    failed_task.full_clean()
    failed_task.save()
    enqueue_on_commit(task, *failed_task.args_kwargs.get("args", []), **failed_task.args_kwargs.get("kwargs", {}))
    return failed_task
