"""`make loadtest`: serve the current database with gunicorn on loopback, run locust against it, summarise.

The database is prepared by the Makefile (fresh var/loadtest, demo data, benchmark dataset, published annexes).
The command exits non-zero only when the server or the load generator could not run; a missed target is a
measurement, printed as such.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.loadtest import TARGET_P95_MS, summary_lines, summary_read
from benchmarks.traffic import DOWNLOAD_ANNEXES, annex_page_pdf_link, annex_urls, download_urls, downloadable

LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfile.py"
HOST = "127.0.0.1"
DOWNLOAD_ANNEXES_ENV = "R2P_LOADTEST_DOWNLOAD_ANNEXES"  # read by the locustfile
WARM_UP = ["/", "/regional/2022/", "/api/v1/editions/", "/annex/2022/KOR/", "/accounts/login/"]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _wait_until_answering(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn exited with code {server.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise CommandError(f"gunicorn did not answer {url} within {timeout:.0f} s")


def _get(url: str) -> bytes:
    with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()
    return b""


def _warm_up(base_url: str, workers: int, download_annexes: int) -> tuple[int, int]:
    """Let every worker load its templates before the measured run, and render the files readers download into the
    export cache, as on a site in use (traffic.py). Returns how many files of how many annexes."""
    for _ in range(2 * workers):
        for path in WARM_UP:
            _get(base_url + path)
    if download_annexes <= 0:
        return 0, 0
    annexes = downloadable(annex_urls(_get(base_url + "/").decode("utf-8", "replace")), download_annexes)
    files = download_urls(annexes)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_get, [base_url + url for url in files]))
    return len(files), len(annexes)


STATIC_FILE = "/static/r2p/app.css"  # the largest static file (whitenoise, or nginx in the cluster)
FILE_REQUESTS = 40
PDF_TO_STATIC_TARGET = 2.0


def _timed_get(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    body = _get(url)
    return (time.perf_counter() - started) * 1000, len(body)


def _file_times(base_url: str, requests: int = FILE_REQUESTS) -> dict | None:
    """A published PDF and a static file, each downloaded whole `requests` times, one after the other, from the
    same server before the load: p50 and p95 in ms, and the ratio of the p95s (target ≤ 2×)."""
    annexes = annex_urls(_get(base_url + "/").decode("utf-8", "replace"))
    if not annexes:
        return None
    # The PDF link a reader of the annex page gets (its hashed URL, served before Django) — the page is asked until
    # the file is stored (the worker renders it after publishing).
    link = None
    for _ in range(30):
        link = annex_page_pdf_link(_get(base_url + annexes[0]).decode("utf-8", "replace"))
        if link and not link.endswith("/v1.pdf"):  # not the per-format URL of a file still being prepared
            break
        time.sleep(1)
    pdf_url, static_url = base_url + (link or f"{annexes[0]}v1.pdf"), base_url + STATIC_FILE
    result = {}
    for name, url in (("pdf", pdf_url), ("static", static_url)):
        _get(url)
        samples = [_timed_get(url) for _ in range(requests)]
        times = sorted(ms for ms, _ in samples)
        size = samples[-1][1]
        if not size:
            return None  # not served (e.g. collectstatic never ran)
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        result[name] = {"url": url, "bytes": size, "p50_ms": times[len(times) // 2], "p95_ms": p95}
    result["ratio_p95"] = result["pdf"]["p95_ms"] / max(result["static"]["p95_ms"], 0.01)
    return result


def file_times_line(times: dict | None) -> str:
    if times is None:
        return f"Files: no published PDF or no {STATIC_FILE} served (collectstatic): not measured"
    pdf, static = times["pdf"], times["static"]
    verdict = "PASS" if times["ratio_p95"] <= PDF_TO_STATIC_TARGET else "FAIL"
    return (
        f"Files, same server: published PDF at /{pdf['url'].split('/', 3)[-1]} ({pdf['bytes']:,} B) "
        f"p50 {pdf['p50_ms']:.1f} / p95 {pdf['p95_ms']:.1f} ms; "
        f"static file ({static['bytes']:,} B) p50 {static['p50_ms']:.1f} / p95 {static['p95_ms']:.1f} ms; "
        f"ratio {times['ratio_p95']:.2f}× (target ≤ {PDF_TO_STATIC_TARGET:g}×)  {verdict}"
    )


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_for_files(timeout: float) -> float:
    """Wait until the task worker has stored every format of every published edition; seconds waited."""
    from assessments.background.files import editions_missing_files

    started = time.perf_counter()
    while any(True for _ in editions_missing_files()):
        if time.perf_counter() - started > timeout:
            raise CommandError(f"the task worker did not render every published file within {timeout:.0f} s")
        time.sleep(2)
        connection.close()
    return time.perf_counter() - started


def _terminated(signum, frame):
    raise KeyboardInterrupt  # so that the server is stopped on `kill` as on Ctrl-C


class Command(BaseCommand):
    help = "Serve with gunicorn on 127.0.0.1 and run a headless locust load test; print requests, errors, p50/p95/p99."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8770)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
        parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--spawn-rate", type=float, default=10)
        parser.add_argument("--run-time", default="60s")
        parser.add_argument("--csv", default=str(Path(settings.VAR_DIR) / "locust"), help="locust CSV prefix")
        parser.add_argument(
            "--download-annexes",
            type=int,
            default=DOWNLOAD_ANNEXES,
            help="readers download the files of this many popular annexes, rendered before the run (0: of every "
            "annex, with a cold export cache)",
        )
        parser.add_argument("--access-log", help="gunicorn access log with each request's time in ms (for diagnosis)")
        parser.add_argument(
            "--target",
            choices=["embedded", "cluster"],
            default="embedded",
            help="embedded: start gunicorn and a task worker here (database queue); cluster: load the running "
            "`make cluster` (nginx on --port, e.g. 8102) and start nothing",
        )
        parser.add_argument(
            "--files-timeout", type=float, default=900, help="seconds to wait for the worker to render every file"
        )
        parser.add_argument(
            "--saturation",
            action="store_true",
            help="stepped load: run locust once per --steps user count (each for --step-time) and report the "
            "highest request rate served with p95 ≤ 300 ms and no failures",
        )
        parser.add_argument("--steps", default="10,20,40,80,160,320", help="user counts of the saturation steps")
        parser.add_argument("--step-time", default="45s", help="duration of each saturation step")

    def handle(
        self,
        *args,
        port,
        workers,
        threads,
        users,
        spawn_rate,
        run_time,
        csv,
        download_annexes,
        access_log,
        target,
        files_timeout,
        saturation=False,
        steps="10,20,40,80,160,320",
        step_time="45s",
        **options,
    ):
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: the figures will not be those of production (use r2p.settings.loadtest).")
        if target == "embedded" and not _port_free(port):
            raise CommandError(f"{HOST}:{port} is in use; pass --port with a free one")
        signal.signal(signal.SIGTERM, _terminated)
        Path(csv).parent.mkdir(parents=True, exist_ok=True)
        for old in Path(csv).parent.glob(f"{Path(csv).name}_*"):
            old.unlink()
        base_url = f"http://{HOST}:{port}"
        log = Path(settings.VAR_DIR) / "gunicorn.log"
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "r2p.wsgi:application",
            f"--bind={HOST}:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--preload",
            f"--error-logfile={log}",
            f"--env=DJANGO_SETTINGS_MODULE={settings.SETTINGS_MODULE}",
        ]
        if access_log:
            gunicorn += [f"--access-logfile={access_log}", "--access-logformat=%(m)s %(U)s %(s)s %(M)s"]
        locust = [
            sys.executable,
            "-m",
            "locust",
            f"--locustfile={LOCUSTFILE}",
            f"--host={base_url}",
            "--headless",
            f"--users={users}",
            f"--spawn-rate={spawn_rate}",
            f"--run-time={run_time}",
            "--stop-timeout=10",
            f"--csv={csv}",
            "--only-summary",
            "--loglevel=WARNING",
        ]
        server = worker = None
        try:
            if target == "embedded":
                server = subprocess.Popen(gunicorn, cwd=settings.BASE_DIR)
                worker = subprocess.Popen(
                    [sys.executable, "manage.py", "r2p_worker"],
                    cwd=settings.BASE_DIR,
                    stdout=(Path(settings.VAR_DIR) / "worker.log").open("w"),
                    stderr=subprocess.STDOUT,
                )
                _wait_until_answering(f"{base_url}/", server, timeout=120)
            started = time.perf_counter()
            waited = _wait_for_files(files_timeout)
            self.stdout.write(
                f"Files: every published edition's files rendered by the task worker and stored ({waited:.0f} s "
                "waited after publishing), as a release does before the public sees the link"
            )
            started = time.perf_counter()
            files, annexes = _warm_up(base_url, workers, download_annexes)
            self.stdout.write(
                f"Server: {'gunicorn, ' + str(workers) + ' workers' if target == 'embedded' else 'make cluster'} "
                f"× {threads} thread(s) on {base_url} "
                f"({connection.vendor}: {connection.settings_dict['NAME']}; tasks: {settings.R2P_TASKS_BACKEND}); "
                f"log {log}"
            )
            self.stdout.write(
                f"Warm-up: {files} published files of the {annexes} most read annexes in the export cache "
                f"({time.perf_counter() - started:.1f} s)"
                if annexes
                else "Warm-up: none; readers download from every annex, export cache cold"
            )
            self.stdout.write(file_times_line(_file_times(base_url)))
            environment = {**os.environ, DOWNLOAD_ANNEXES_ENV: str(download_annexes)}
            if saturation:
                self._saturation(locust, environment, csv, [int(n) for n in steps.split(",") if n.strip()], step_time)
                return
            self.stdout.write(f"Load: locust, {users} users (spawn {spawn_rate:g}/s) for {run_time}\n")
            self.stdout.flush()
            subprocess.run(locust, cwd=settings.BASE_DIR, env=environment, check=False)
        except KeyboardInterrupt:
            raise CommandError("interrupted") from None
        finally:
            _stop(server)
            _stop(worker)
        try:
            summary = summary_read(csv)
        except (OSError, ValueError) as missing:
            raise CommandError(f"locust left no statistics: {missing}") from None
        self.stdout.write("\n" + "\n".join(summary_lines(summary)))

    def _saturation(self, locust: list[str], environment: dict, csv: str, steps: list[int], step_time: str) -> None:
        """One locust run per step of users (more users: a higher request rate), until p95 passes the target or
        requests fail; the highest rate met is the one the server sustains."""
        self.stdout.write(f"Saturation: steps of {', '.join(map(str, steps))} users, {step_time} each\n")
        results = []
        for users in steps:
            prefix = f"{csv}_step{users}"
            command = [
                *(arg for arg in locust if not arg.startswith(("--users=", "--run-time=", "--csv=", "--spawn-rate="))),
                f"--users={users}",
                f"--spawn-rate={max(10, users // 2)}",
                f"--run-time={step_time}",
                f"--csv={prefix}",
            ]
            with open(f"{prefix}.log", "w") as log:  # locust's own tables: beside the CSV files
                subprocess.run(command, cwd=settings.BASE_DIR, env=environment, check=False, stdout=log, stderr=log)
            try:
                summary = summary_read(prefix)
            except (OSError, ValueError) as missing:
                raise CommandError(f"locust left no statistics for {users} users: {missing}") from None
            results.append((users, summary))
            self.stdout.write(saturation_line(users, summary))
            self.stdout.flush()
            if not summary.target_met:
                break
        self.stdout.write(saturation_verdict(results))


def saturation_line(users: int, summary) -> str:
    verdict = "met" if summary.target_met else "over"
    return (
        f"  {users:>4} users: {summary.rps:7.1f} requests/s, p50 {summary.p50:.0f} ms, p95 {summary.p95:.0f} ms, "
        f"{summary.failures} failures  {verdict}"
    )


def saturation_verdict(results: list) -> str:
    """The highest rate of a step that met p95 ≤ 300 ms with no failures."""
    met = [(summary.rps, users) for users, summary in results if summary.target_met]
    if not met:
        return f"Saturation: no step met p95 ≤ {TARGET_P95_MS} ms with no failures"
    rps, users = max(met)
    last = " (the last step still met it: add larger steps)" if results and results[-1][1].target_met else ""
    return (
        f"Saturation: the highest request rate sustained with p95 ≤ {TARGET_P95_MS} ms and no failures is "
        f"{rps:.1f} requests/s ({users} users){last}"
    )
