"""A worker killed mid-task: its database-queue rows do not stay running, its partial files go, the task completes.

The last test is the real thing: `manage.py r2p_worker` in a subprocess, killed with SIGKILL while it renders an
edition's PDF, then started again."""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from assessments.background import reclaim
from assessments.background.retry import enqueue
from assessments.background.tasks import render_edition_file
from assessments.models import Edition, EditionFile, FailedTask

BASE_DIR = Path(__file__).resolve().parents[2]
WORKER_LOST = "assessments.background.reclaim.WorkerLost"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.R2P_TASKS_BACKEND = "database"


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running(task, *args, worker_id: str, **kwargs) -> DBTaskResult:
    """A task claimed by `worker_id`, as db_worker leaves it while the task runs."""
    result = enqueue(task, *args, **kwargs)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    return row


def test_a_dead_workers_task_is_enqueued_again_and_a_live_ones_is_left_alone(database_queue, demo):
    edition = Edition.objects.get(country_assessment__country__code="KOR")
    dead = running(render_edition_file, edition.pk, "pdf", worker_id=f"{dead_pid()}@{reclaim.host_name()}:abcdefgh")
    alive = running(render_edition_file, edition.pk, "docx", worker_id=reclaim.worker_id_new())  # this process

    report = reclaim.tasks_reclaim()

    assert report.requeued == [str(dead.pk)] and not report.failed
    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.FAILED and dead.exception_class_path == WORKER_LOST
    assert "stopped (killed or crashed)" in dead.traceback and "enqueued again as attempt 2" in dead.traceback
    again = DBTaskResult.objects.ready().get()
    assert again.args_kwargs == {"args": [edition.pk, "pdf"], "kwargs": {"attempt": 2}}
    alive.refresh_from_db()
    assert alive.status == TaskResultStatus.RUNNING
    assert not FailedTask.objects.exists()  # not a failure while attempts remain


def test_a_dead_workers_last_attempt_fails_visibly_on_the_failed_tasks_page(database_queue, demo, user_client):
    edition = Edition.objects.get(country_assessment__country__code="KOR")
    worker = f"{dead_pid()}@{reclaim.host_name()}:abcdefgh"
    row = running(
        render_edition_file, edition.pk, "pdf", attempt=render_edition_file.func.max_attempts, worker_id=worker
    )

    assert reclaim.tasks_reclaim().failed == [str(row.pk)]

    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
    assert not DBTaskResult.objects.ready().exists()
    failed = FailedTask.objects.get()
    assert failed.exception_class == WORKER_LOST and failed.task_path == render_edition_file.module_path
    assert failed.args_kwargs == {"args": [edition.pk, "pdf"], "kwargs": {}}
    page = user_client("admin").get(reverse("failed-tasks")).content.decode()
    assert f"The worker {worker} stopped (killed or crashed)" in page and "no attempt is left" in page


def test_another_hosts_worker_is_trusted_until_the_running_limit_without_a_shared_cache(database_queue, demo):
    edition = Edition.objects.get(country_assessment__country__code="KOR")
    row = running(render_edition_file, edition.pk, "pdf", worker_id="123@elsewhere:abcdefgh")
    assert not reclaim.tasks_reclaim().requeued
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(seconds=reclaim.RUNNING_LIMIT_SECONDS + 1)
    )
    assert reclaim.tasks_reclaim().requeued == [str(row.pk)]


def test_partial_files_of_dead_processes_are_removed(db):
    dead = f"editions/{reclaim.PARTIAL_PREFIX}{dead_pid()}-{reclaim.host_name()}~x1y2.pdf"
    live = f"editions/{reclaim.partial_prefix()}a1b2.pdf"
    whole = "editions/annex.0123456789abcdef0123.pdf"
    for name in (dead, live, whole):
        path = Path(default_storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7 half")
    try:
        assert reclaim.partial_files_remove() == [dead]
        assert not default_storage.exists(dead) and default_storage.exists(live) and default_storage.exists(whole)
    finally:
        for name in (dead, live, whole):
            default_storage.delete(name)


# The real thing: a worker process, SIGKILL mid-render, a second worker.


class WorkerDatabase:
    """The database the worker subprocess uses: the test's own (PostgreSQL), or a file copy of the in-memory
    SQLite test database (read back after the worker ran)."""

    def __init__(self, tmp_path: Path):
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = tmp_path / "worker.sqlite3"
            target = sqlite3.connect(self.path)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            db = connection.settings_dict
            user = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}" if db["PASSWORD"] else quote(db["USER"])
            self.url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    def rows(self, sql: str, params=()) -> list[tuple]:
        if self.sqlite:
            with sqlite3.connect(self.path) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def tasks(self) -> list[tuple]:
        return self.rows(
            f"SELECT status, exception_class_path, args_kwargs FROM {DBTaskResult._meta.db_table} ORDER BY enqueued_at"
        )

    def pdf_files(self, edition_id: int) -> list[tuple]:
        return self.rows(
            f"SELECT name, sha256, size FROM {EditionFile._meta.db_table} WHERE edition_id = %s AND fmt = 'pdf'",
            (edition_id,),
        )


def worker(database: WorkerDatabase, tmp_path: Path, *args: str) -> subprocess.Popen:
    env = {
        key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL", "R2P_TASKS_BACKEND")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "r2p.settings.dev",
        "DATABASE_URL": database.url,
        "R2P_TASKS_BACKEND": "database",
        "R2P_VAR_DIR": str(tmp_path / "var"),
        "R2P_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "R2P_DAILY_MAIL_HOUR": "24",  # the clock's daily mail would add a task of its own to the queue counted here
    }
    log = (tmp_path / f"worker-{len(list(tmp_path.glob('worker-*.log')))}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "manage.py", "r2p_worker", "--interval", "0.1", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def storage_names() -> list[str]:
    try:
        return sorted(default_storage.listdir("editions")[1])
    except FileNotFoundError:
        return []


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_render_leaves_no_half_file_and_the_restarted_worker_completes_the_task(
    demo, database_queue, tmp_path
):
    edition = Edition.objects.get(country_assessment__country__code="KOR")
    # Publishing rendered every file (the test settings run tasks at once): the PDF is to be rendered again.
    pdf = EditionFile.objects.get(edition=edition, fmt="pdf")
    default_storage.delete(pdf.name)
    pdf.delete()
    before = storage_names()
    enqueue(render_edition_file, edition.pk, "pdf")
    database = WorkerDatabase(tmp_path)

    first = worker(database, tmp_path)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None:
            if any(status == TaskResultStatus.RUNNING for status, *_ in database.tasks()):
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the worker never started the render: {(tmp_path / 'worker-0.log').read_text()}")
        time.sleep(0.3)  # WeasyPrint lays the annex out for a second or more
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()

    # Killed mid-render: the row says running, nothing was recorded, no file (whole or half) was left behind.
    assert [status for status, *_ in database.tasks()] == [TaskResultStatus.RUNNING]
    assert database.pdf_files(edition.pk) == []
    assert storage_names() == before

    second = worker(database, tmp_path, "--batch")
    assert second.wait(timeout=180) == 0, (tmp_path / "worker-1.log").read_text()

    log = (tmp_path / "worker-1.log").read_text()
    assert "1 tasks of dead workers enqueued again" in log
    tasks = database.tasks()
    assert [(status, path) for status, path, _ in tasks] == [
        (TaskResultStatus.FAILED, WORKER_LOST),  # no longer marked running
        (TaskResultStatus.SUCCESSFUL, ""),
    ]
    [(name, sha256, size)] = database.pdf_files(edition.pk)
    content = Path(default_storage.path(name)).read_bytes()
    assert len(content) == size and hashlib.sha256(content).hexdigest() == sha256
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert not [name for name in storage_names() if name.startswith(reclaim.PARTIAL_PREFIX)]
    default_storage.delete(name)
