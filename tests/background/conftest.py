"""Run the background tasks on a real queue: the database backend always, RQ on Redis when REDIS_URL is set."""

import os
from unittest import mock

import pytest
from django.core.management import call_command

REDIS_URL = os.environ.get("REDIS_URL", "")
BACKENDS = ["database", pytest.param("rq", marks=pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set"))]


class Queue:
    """The configured task backend and a way to run its worker until the queue is empty (in this process)."""

    def __init__(self, name: str):
        self.name = name

    def run(self) -> None:
        if self.name == "database":
            # The worker closes "old" connections between tasks; inside a test's transaction that would close the
            # test's own connection (PostgreSQL), so it is left open here.
            with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
                call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0.01, verbosity=0)
        else:
            import django_rq
            from django_tasks_rq.backend import Job
            from rq import SimpleWorker

            django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker).work(
                burst=True, with_scheduler=False
            )

    def waiting(self) -> int:
        if self.name == "database":
            from django_tasks_db.models import DBTaskResult

            return DBTaskResult.objects.ready().count()
        import django_rq

        return django_rq.get_queue("default").count


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The "render already enqueued" markers live in the cache and are keyed by edition id and content hash; tests
    roll back, so the next test's edition can have the same id and hash: start every test without markers."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=BACKENDS)
def queue(request, settings) -> Queue:
    name = request.param
    if name == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    else:
        import django_rq

        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
        django_rq.get_connection("default").flushdb()
    settings.R2P_TASKS_BACKEND = name
    return Queue(name)


@pytest.fixture
def no_rendering(monkeypatch):
    """Fail the test if anything renders an annex export (requests must serve stored files)."""

    def refuse(*args, **kwargs):
        raise AssertionError("a request rendered an annex file")

    monkeypatch.setattr("assessments.background.files.annex_export", refuse)
