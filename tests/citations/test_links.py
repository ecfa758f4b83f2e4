"""check_links against a local http.server only: statuses, HEAD refusal, timeouts, bounded concurrency."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from assessments.citations import links
from assessments.citations.links import check_url, links_check
from assessments.models import Citation, Source
from tests.factories import SourceFactory, make_country_assessment


class Handler(BaseHTTPRequestHandler):
    active = 0
    peak = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def _answer(self, with_body: bool):
        # Count only the work, not the reply: once the reply is sent the client may start its next request
        # before this thread gets to decrement, which would look like one request too many.
        with Handler.lock:
            Handler.active += 1
            Handler.peak = max(Handler.peak, Handler.active)
        try:
            if self.path.startswith("/slow"):
                time.sleep(1.5)
            if self.path.startswith("/busy"):
                time.sleep(0.2)
        finally:
            with Handler.lock:
                Handler.active -= 1
        if self.path.startswith("/nohead") and self.command == "HEAD":
            status = 405
        elif self.path.startswith("/missing"):
            status = 404
        elif self.path.startswith("/moved"):
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        else:
            status = 200
        body = b"fine"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self):
        self._answer(with_body=False)

    def do_GET(self):
        self._answer(with_body=True)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.peak = 0
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def local_only(monkeypatch, settings):
    """No proxy, and any request to a host other than the local test server fails the test (the checker refuses
    loopback addresses, so the test server's is allowed explicitly)."""
    settings.R2P_LINK_CHECK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    real_request = links._request

    def request(url, method, deadline):
        assert urlsplit(url).hostname == "127.0.0.1", f"test tried to reach {url}"
        return real_request(url, method, deadline)

    monkeypatch.setattr(links, "_request", request)


@pytest.fixture
def item(db):
    """An item of a country assessment outside the demo archive (whose sources have real URLs)."""
    return make_country_assessment().items.get(indicator__code="BC-1")


def test_check_url_outcomes(server):
    assert check_url(f"{server}/ok").status == 200
    assert check_url(f"{server}/missing").status == 404
    assert check_url(f"{server}/nohead").status == 200  # retried with GET
    assert check_url(f"{server}/moved").status == 200
    slow = check_url(f"{server}/slow", timeout=0.3)
    assert slow.status is None and slow.error
    assert check_url("ftp://example.org/x").error == "not an http(s) URL"


def test_links_check_records_every_cited_source(item, server):
    urls = {"ok": "/ok", "gone": "/missing", "same-url": "/ok", "uncited": "/missing"}
    sources = {key: SourceFactory(key=key, url=server + path) for key, path in urls.items()}
    for position, key in enumerate(["ok", "gone", "same-url"], start=1):
        Citation.objects.create(item=item, position=position, key=key, source=sources[key])
    report = links_check(concurrency=2, timeout=2)
    assert set(report.results) == {f"{server}/ok", f"{server}/missing"}  # each URL once
    assert report.sources_by_url[f"{server}/ok"] == ["ok", "same-url"]
    statuses = dict(Source.objects.values_list("key", "link_status"))
    assert statuses == {"ok": 200, "gone": 404, "same-url": 200, "uncited": None}
    gone = Source.objects.get(key="gone")
    assert gone.link_error == "HTTP 404" and gone.link_checked_at is not None
    assert Source.history.filter(key="gone").count() == 1  # link checks write no history


def test_concurrency_is_bounded(db, server):
    sources = [SourceFactory(key=f"busy-{n}", url=f"{server}/busy/{n}") for n in range(6)]
    report = links_check(sources=sources, concurrency=2, timeout=5)
    assert len(report.results) == 6 and not report.broken
    assert Handler.peak <= 2


def test_check_links_command(item, server):
    source = SourceFactory(key="gone", url=f"{server}/missing")
    Citation.objects.create(item=item, position=1, key="gone", source=source)
    out = StringIO()
    call_command("check_links", "--timeout", "2", "--concurrency", "1", stdout=out)
    assert f"BAD   404 {server}/missing (HTTP 404) [gone]" in out.getvalue()
    assert "1 URLs checked, 1 broken." in out.getvalue()
