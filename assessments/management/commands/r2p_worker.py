from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from assessments.background.clock import clock_start, clock_tick
from assessments.background.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "Run the background task worker: first enqueue what a crash or a lost message left undone (missing "
        "edition files, due releases), then process the queue (django-tasks-db's db_worker, or RQ's worker) "
        "while a clock enqueues the periodic jobs (the day's reminders and digests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Process every waiting task, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls (database).")
        parser.add_argument("--no-reconcile", action="store_true", help="Skip the start-up sweep.")

    def handle(self, *args, batch: bool, interval: float, no_reconcile: bool, **options):
        if not no_reconcile:
            found = reconcile()
            self.stdout.write(f"start-up sweep: {found['files']} files and {found['releases']} releases enqueued")
        backend = settings.R2P_TASKS_BACKEND
        if batch:
            clock_tick()  # one look at the clock, then the queue it filled
        elif backend in ("database", "rq"):
            clock_start()  # periodic jobs (reminders, digests) while the worker runs
        if backend == "database":
            call_command("db_worker", batch=batch, interval=interval, startup_delay=False, reload=False)
        elif backend == "rq":
            call_command(
                "rqworker", "default", burst=batch, with_scheduler=True, job_class="django_tasks_rq.backend.Job"
            )
        else:
            self.stdout.write(f"The {backend} task backend runs tasks in the web process; no worker needed.")
