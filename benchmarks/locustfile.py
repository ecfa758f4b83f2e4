"""`make loadtest`: people reading, editing and exporting at once, against a server on 127.0.0.1 only.

Run by `manage.py loadtest` (which starts gunicorn on the benchmark dataset); by hand:

    .venv/bin/locust -f benchmarks/locustfile.py --host http://127.0.0.1:8770 --headless -u 50 -r 10 -t 60s

Every request is named "<kind>: <page>" with kind read, edit or export, so the summary can show the mix.
The users find their way as people do, by following the links of the pages they open: no database access here.

- Readers (anonymous): published annexes, the regional overview, the API, downloads of published editions
  (which annexes, and how popular each is: benchmarks/traffic.py).
- Researchers (the demo `researcher`, assigned to four 2025 assessments): dashboard, country page, the item
  editor; they save drafts with the version the editor showed them. Two researchers saving the same item from
  the same version is expected: the second gets HTTP 409 and the conflict screen, which is counted as a
  conflict (not a failure); they then save again from the version the conflict screen shows.
- Staff (the demo `reviewer` or `editor`): cycle overview, heatmap, country pages, draft annex JSON/Markdown.
"""

import csv
import html
import json
import os
import random
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from gevent.lock import Semaphore
from locust import HttpUser, between, events, task
from locust.exception import StopUser
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV, StatsEntry

from benchmarks.traffic import DOWNLOAD_ANNEXES, annex_urls, downloadable, pick_format, pick_popular, ranked

LOOPBACK = "127.0.0.1"
DEFAULT_HOST = "http://127.0.0.1:8770"
# Which annexes' files readers download (benchmarks/traffic.py); set by `manage.py loadtest --download-annexes`.
DOWNLOAD_ANNEXES_ENV = "R2P_LOADTEST_DOWNLOAD_ANNEXES"
DRAFT_FORMATS = ["json", "md"]
RATINGS = ["very_strong", "strong", "fair", "weak", "very_weak"]
SESSION_COOKIE = "sessionid"
_sessions: dict[str, str] = {}
_login_locks: dict[str, Semaphore] = {}
# Outcomes that are not request failures but worth reporting (written next to the CSV files at the end).
outcomes: Counter = Counter()

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
ASSESSMENT_LINK = re.compile(r'href="(/cycles/\d{4}/[A-Z]{3}/)"')
ITEM_LINK = re.compile(r'href="(/cycles/\d{4}/[A-Z]{3}/(?:overview|conclusion|[A-Z]+-\d+)/)"')
VERSION_INPUT = re.compile(r'<input type="hidden" name="version" value="(\d+)"')
NOTES_TEXTAREA = re.compile(r'<textarea name="notes"[^>]*>(.*?)</textarea>', re.S)


def _loopback_only(host: str | None) -> None:
    if urlsplit(host or "").hostname != LOOPBACK:
        raise SystemExit(f"The load test only runs against http://{LOOPBACK}:<port>, not {host!r}.")


@events.init.add_listener
def _check_host(environment, **kwargs):
    global _environment
    _environment = environment
    if environment.host:
        _loopback_only(environment.host)


@events.quit.add_listener
def _write_final(exit_code, **kwargs):
    """The final statistics (locust's own `<prefix>_stats.csv` is a snapshot taken every second) and the outcomes."""
    environment = _environment
    options = environment.parsed_options if environment else None
    prefix = getattr(options, "csv_prefix", None)
    if not prefix:
        return
    writer = StatsCSV(environment, PERCENTILES_TO_REPORT)
    with open(f"{prefix}_final_stats.csv", "w", newline="") as stats:
        writer.requests_csv(csv.writer(stats))
    with open(f"{prefix}_final_failures.csv", "w", newline="") as failures:
        writer.failures_csv(csv.writer(failures))
    Path(f"{prefix}_outcomes.json").write_text(json.dumps(dict(outcomes), indent=2) + "\n")
    kinds: dict[str, StatsEntry] = {}
    for entry in environment.stats.entries.values():
        kind = entry.name.split(":", 1)[0]
        kinds.setdefault(kind, StatsEntry(environment.stats, kind, "")).extend(entry)
    with open(f"{prefix}_kinds.csv", "w", newline="") as by_kind:
        rows = csv.writer(by_kind)
        rows.writerow(["Kind", "Request Count", "Failure Count", "50%", "95%", "99%", "Max Response Time"])
        for kind, entry in sorted(kinds.items()):
            percentiles = [entry.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99)]
            rows.writerow([kind, entry.num_requests, entry.num_failures, *percentiles, round(entry.max_response_time)])


_environment = None


class LoopbackUser(HttpUser):
    abstract = True
    host = DEFAULT_HOST
    wait_time = between(1, 3)

    def on_start(self):
        _loopback_only(self.host)

    def log_in(self, username: str) -> None:
        """Start with a session of `username`: the first simulated person of an account logs in (measured), the
        others share that session, as people who logged in earlier in the day (a password check costs ~0.2 s of
        CPU by design; 20 of them in the first two seconds would measure a login storm, not the day's work)."""
        with _login_locks.setdefault(username, Semaphore()):
            if username not in _sessions:
                _sessions[username] = self._log_in(username)
        self.client.cookies.set(SESSION_COOKIE, _sessions[username])

    def _log_in(self, username: str) -> str:
        page = self.client.get("/accounts/login/", name="read: login form")
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": f"r2p-{username}", "csrfmiddlewaretoken": token and token[1]},
            name="read: log in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or SESSION_COOKIE not in response.cookies:
                response.failure(f"login as {username} answered {response.status_code}")
                raise StopUser()
            return response.cookies[SESSION_COOKIE]

    def page(self, url: str, name: str, **kwargs):
        return self.client.get(url, name=name, **kwargs)


class Reader(LoopbackUser):
    """The public: published annexes, regional overview, API, downloads."""

    weight = 13

    def on_start(self):
        super().on_start()
        annexes = annex_urls(self.page("/", "read: published annexes").text) or ["/annex/2022/KOR/"]
        self.annexes = ranked(annexes)
        self.downloads = downloadable(annexes, int(os.environ.get(DOWNLOAD_ANNEXES_ENV, DOWNLOAD_ANNEXES)))

    @task(3)
    def annex_list(self):
        self.page("/", "read: published annexes")

    @task(6)
    def annex(self):
        self.page(pick_popular(self.annexes), "read: public annex")

    @task(2)
    def regional(self):
        self.page(f"/regional/{random.choice([2019, 2022])}/", "read: regional overview")

    @task(2)
    def api(self):
        editions = self.page("/api/v1/editions/", "read: API editions")
        if random.random() < 0.5 and editions.ok:
            self.page(self.annex_api_url(), "read: API edition")

    @task(3)
    def download(self):
        self.page(f"{pick_popular(self.downloads)}v1.{pick_format()}", "export: published download")

    def annex_api_url(self) -> str:
        _, _, year, code, _ = pick_popular(self.annexes).split("/")
        return f"/api/v1/editions/{year}/{code}/"


class Researcher(LoopbackUser):
    """The demo researcher drafting items of the assessments assigned to them."""

    weight = 8

    def on_start(self):
        super().on_start()
        self.log_in("researcher")
        dashboard = self.page("/work/", "read: dashboard")
        self.assessments = [url for url in ASSESSMENT_LINK.findall(dashboard.text) if url.startswith("/cycles/2025/")]
        if not self.assessments:
            raise StopUser()
        self.items: dict[str, list[str]] = {}

    def items_of(self, assessment: str) -> list[str]:
        if assessment not in self.items:
            self.items[assessment] = sorted(set(ITEM_LINK.findall(self.country_page(assessment).text)))
        return self.items[assessment]

    def country_page(self, assessment: str):
        return self.page(assessment, "read: country assessment")

    @task(1)
    def dashboard(self):
        self.page("/work/", "read: dashboard")

    @task(2)
    def country(self):
        self.country_page(random.choice(self.assessments))

    @task(6)
    def edit_item(self):
        items = self.items_of(random.choice(self.assessments))
        if not items:
            return
        url = random.choice(items)
        editor = self.page(url, "edit: item editor")
        if not editor.ok:
            return  # counted as a failure by locust
        version = VERSION_INPUT.search(editor.text)
        if not version:
            outcomes["items found read-only (in review)"] += 1
            items.remove(url)  # in review or approved: the researcher does not come back to edit it
            return
        notes = NOTES_TEXTAREA.search(editor.text)
        text = html.unescape(notes[1]).removeprefix("\n") if notes else ""
        text = re.sub(r"\s*Load test edit \d+\.$", "", text) + f" Load test edit {random.randrange(10**6)}."
        headers = {"X-CSRFToken": CSRF_HEADER.search(editor.text)[1], "HX-Request": "true"}
        gevent.sleep(random.uniform(1, 4))  # reading and typing
        if random.random() < 0.5:
            self.client.post(f"{url}preview/", data={"notes": text}, headers=headers, name="edit: live preview")
        data = {"version": version[1], "notes": text, "trend": "", "trend_override_reason": ""}
        if "/overview/" not in url and "/conclusion/" not in url:
            data["rating"] = random.choice(RATINGS)
        self.save(url, data, headers["X-CSRFToken"])

    def save(self, url: str, data: dict, token: str, *, retry: bool = True) -> None:
        with self.client.post(
            url,
            data={**data, "csrfmiddlewaretoken": token},
            name="edit: save draft" if retry else "edit: save draft again after a conflict",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                outcomes["saved"] += 1
                response.success()
            elif response.status_code == 409:
                outcomes["conflicts (409)"] += 1
                response.success()
            else:
                response.failure(f"save answered {response.status_code} (expected 302 or 409)")
                return
        if response.status_code == 302:
            self.page(response.headers["Location"], "edit: item editor after saving")
            return
        # The conflict screen keeps the person's text and carries the version now saved: save over it once.
        version = VERSION_INPUT.search(response.text)
        if retry and version:
            self.save(url, {**data, "version": version[1]}, token, retry=False)


class Staff(LoopbackUser):
    """A reviewer (assigned assessments only) or an editor (every assessment): overviews, country pages, drafts."""

    weight = 4

    def on_start(self):
        super().on_start()
        self.log_in(random.choice(["reviewer", "editor"]))
        overview = self.overview()
        self.assessments = sorted(set(ASSESSMENT_LINK.findall(overview.text))) or ["/cycles/2025/KOR/"]

    def overview(self):
        return self.page("/cycles/2025/overview/", "read: cycle overview")

    @task(2)
    def cycle_overview(self):
        self.overview()

    @task(2)
    def heatmap(self):
        self.page("/cycles/2025/heatmap/", "read: heatmap")

    @task(4)
    def country(self):
        self.page(random.choice(self.assessments), "read: country assessment")

    @task(2)
    def draft_export(self):
        self.page(f"{random.choice(self.assessments)}annex/draft.{random.choice(DRAFT_FORMATS)}", "export: draft annex")
