"""The archive import's background task (django-tasks, wrapped by `retrying` like assessments.background.tasks):
reading an uploaded annex, which for a PDF takes seconds, never inside a request."""

from django_tasks import task

from assessments.background.retry import retrying

# Someone is waiting on the upload page: ahead of the default priority (links, notifications).
READ_PRIORITY = 15


@task()
@retrying(priority=READ_PRIORITY)
def read_archive_upload(upload_id: int) -> dict:
    """Parse a stored upload into its staged annex (nothing to do when it is read already)."""
    from .uploads import archive_upload_read

    return {"status": archive_upload_read(upload_id)}
