"""The link checker fetches public addresses only: loopback, private, link-local, multicast and reserved addresses
(IPv4, IPv6, IPv4-mapped IPv6) are refused before connecting and after every redirect; redirects, time and size
are bounded; only editors see results about hosts others cannot reach."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assessments.citations.links import address_refusal, check_url
from assessments.citations.sources import links_record
from assessments.models import Source


class Recorder(BaseHTTPRequestHandler):
    """Counts every request it receives; /redirect?to=URL redirects, /loop redirects to itself, /drip is slow."""

    received: list[str] = []

    def log_message(self, *args):
        pass

    def _answer(self):
        Recorder.received.append(f"{self.server.server_address[0]} {self.command} {self.path}")
        if self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(Recorder.received)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/drip"):
            self.send_response(405 if self.command == "HEAD" else 200)
            self.send_header("Content-Length", "100000000")
            self.end_headers()
            if self.command == "GET":
                try:
                    for _ in range(1000):
                        self.wfile.write(b"x" * 1024)
                        time.sleep(0.05)
                except OSError:
                    pass
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(b"ok")

    do_GET = do_HEAD = _answer


def _serve(address: str):
    httpd = ThreadingHTTPServer((address, 0), Recorder)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def victim():
    """A server on 127.0.0.1 that must receive nothing."""
    Recorder.received = []
    httpd = _serve("127.0.0.1")
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def outside(settings):
    """A server standing for the public Internet: 127.0.0.2, which the test allows (and only it)."""
    settings.R2P_LINK_CHECK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    Recorder.received = []
    httpd = _serve("127.0.0.2")
    yield f"http://127.0.0.2:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "127.1", "2130706433", "0x7f000001", "0.0.0.0", "[::ffff:127.0.0.1]", "[::1]"],
)
def test_loopback_urls_are_refused_and_the_server_receives_nothing(victim, host, security_figures):
    result = check_url(f"http://{host}:{victim}/secret", timeout=2)
    assert result.status is None and result.error, result
    assert Recorder.received == []
    security_figures.add("link checker: non-public URLs refused (server received nothing)", 1)


def test_a_redirect_to_loopback_is_refused(victim, outside, security_figures):
    result = check_url(f"{outside}/redirect?to=http://127.0.0.1:{victim}/admin", timeout=2)
    assert result.status is None and "refused" in result.error
    assert all(line.startswith("127.0.0.2") for line in Recorder.received) and Recorder.received
    result = check_url(f"{outside}/redirect?to=http://[::ffff:7f00:1]:{victim}/admin", timeout=2)
    assert result.status is None and not any(line.startswith("127.0.0.1") for line in Recorder.received)
    security_figures.add("link checker: non-public URLs refused (server received nothing)", 2)


def test_redirects_time_and_size_are_bounded(outside):
    result = check_url(f"{outside}/loop", timeout=5)
    assert result.status is None and "redirects" in result.error
    assert len(Recorder.received) <= 6
    started = time.monotonic()
    result = check_url(f"{outside}/drip", timeout=1)
    assert time.monotonic() - started < 5  # the server would send 100 MB over 50 s
    assert check_url(f"{outside}/fine", timeout=2).status == 200


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "0.0.0.0",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2001:db8::1",
        "64:ff9b::7f00:1",
    ],
)
def test_non_public_addresses_are_refused(address, security_figures):
    assert address_refusal(address)
    security_figures.add("link checker: non-public address kinds refused", 1)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(address) == ""


def test_only_editors_see_failed_results(world):
    source = world.source
    links_record(results={source.pk: (None, "refused: intranet.local resolves to a private address 10.0.0.5")})
    assert Source.objects.get(pk=source.pk).link_error
    for role, sees in (("researcher", False), ("reviewer", False), ("editor", True), ("admin", True)):
        page = world.client(role).get(source.get_absolute_url()).content.decode()
        assert ("10.0.0.5" in page) is sees, role
        page = world.client(role).get("/sources/").content.decode()
        assert ("10.0.0.5" in page) is sees, role
    links_record(results={source.pk: (404, "HTTP 404")})
    assert ">404<" in world.client("researcher").get(source.get_absolute_url()).content.decode()
