import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from assessments.background.clock import clock_start, clock_tick
from assessments.background.reclaim import (
    HEARTBEAT_SECONDS,
    RECLAIM_SECONDS,
    heartbeat,
    tasks_reclaim,
    worker_id_new,
)
from assessments.background.reconcile import reconcile


def _keep_alive(worker_id: str, stop: threading.Event, stdout) -> None:
    """The worker's heartbeat (other hosts see it alive) and, every RECLAIM_SECONDS, the reclaim of tasks that
    other, dead workers left running (in its own thread, beside the task being run)."""
    beats = 0
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            heartbeat(worker_id)
            beats += 1
            if beats * HEARTBEAT_SECONDS >= RECLAIM_SECONDS:
                beats = 0
                reclaimed = tasks_reclaim()
                if reclaimed.requeued or reclaimed.failed or reclaimed.partial_files:
                    stdout.write(f"reclaim: {reclaimed}")
        except Exception as error:  # the worker goes on; the next pass tries again
            stdout.write(f"reclaim failed: {error!r}")
        finally:
            connection.close()


class Command(BaseCommand):
    help = (
        "Run the background task worker: first resolve the tasks dead workers left running and enqueue what a "
        "crash or a lost message left undone (missing edition files, due releases), then process the queue "
        "(django-tasks-db's db_worker, or RQ's worker) while a clock enqueues the periodic jobs (the day's "
        "reminders and digests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Process every waiting task, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls (database).")
        parser.add_argument("--no-reconcile", action="store_true", help="Skip the start-up sweep.")

    def handle(self, *args, batch: bool, interval: float, no_reconcile: bool, **options):
        backend = settings.R2P_TASKS_BACKEND
        worker_id = worker_id_new()
        if backend == "database":
            heartbeat(worker_id)
            self.stdout.write(f"worker {worker_id}: reclaim: {tasks_reclaim()}")
        if not no_reconcile:
            found = reconcile()
            self.stdout.write(f"start-up sweep: {found['files']} files and {found['releases']} releases enqueued")
        if batch:
            clock_tick()  # one look at the clock, then the queue it filled
        elif backend in ("database", "rq"):
            clock_start()  # periodic jobs (reminders, digests) while the worker runs
        if backend == "database":
            stop = threading.Event()
            keeper = threading.Thread(target=_keep_alive, args=(worker_id, stop, self.stdout), daemon=True)
            keeper.start()
            try:
                call_command(
                    "db_worker",
                    batch=batch,
                    interval=interval,
                    startup_delay=False,
                    reload=False,
                    worker_id=worker_id,
                )
            finally:
                stop.set()
        elif backend == "rq":
            # RQ keeps its own registry of started jobs and fails those of a worker that stopped heartbeating.
            call_command(
                "rqworker", "default", burst=batch, with_scheduler=True, job_class="django_tasks_rq.backend.Job"
            )
        else:
            self.stdout.write(f"The {backend} task backend runs tasks in the web process; no worker needed.")
