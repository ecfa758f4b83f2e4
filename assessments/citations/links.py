"""Check that cited URLs still answer: bounded concurrency, a timeout per request, status recorded per source.

Any staff member can give a source a URL, so the checker is careful what it fetches: it resolves each host
itself and connects only to public addresses (never loopback, private, link-local, multicast, reserved or
unspecified ones, IPv4 or IPv6, also inside IPv4-mapped IPv6), to the very address it checked; it follows
redirects by hand, checking each one, at most LINK_MAX_REDIRECTS; it reads at most LINK_MAX_BYTES and gives
up on a URL after its timeout. `R2P_LINK_CHECK_ALLOWED_NETWORKS` (CIDRs) lets an intranet be checked.
"""

import http.client
import ipaddress
import logging
import socket
import ssl
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

from assessments.citations.sources import links_record
from assessments.limits import LINK_MAX_BYTES, LINK_MAX_REDIRECTS, LINK_TIMEOUT_SECONDS
from assessments.models import Source

USER_AGENT = "r2p-link-check/1.0 (+citation library maintenance)"
DEFAULT_CONCURRENCY = 8
DEFAULT_TIMEOUT = LINK_TIMEOUT_SECONDS
REDIRECTS = {301, 302, 303, 307, 308}
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None  # final HTTP status after redirects; None when no answer
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


@dataclass
class LinkReport:
    results: dict[str, LinkResult] = field(default_factory=dict)  # url → result
    sources_by_url: dict[str, list[str]] = field(default_factory=dict)  # url → source keys

    @property
    def broken(self) -> list[LinkResult]:
        return [result for result in self.results.values() if not result.ok]

    def lines(self) -> list[str]:
        lines = []
        for url, result in sorted(self.results.items(), key=lambda pair: (pair[1].ok, pair[0])):
            state = str(result.status) if result.status is not None else "ERROR"
            detail = f" ({result.error})" if result.error else ""
            lines.append(
                f"{'ok ' if result.ok else 'BAD'} {state:>5} {url}{detail} [{', '.join(self.sources_by_url[url])}]"
            )
        return lines


class LinkRefused(Exception):
    """The URL may not be fetched (its host resolves to an address that is not public, or it is malformed)."""


def _allowed_networks() -> list:
    """Networks an operator allows although they are not public (R2P_LINK_CHECK_ALLOWED_NETWORKS; tests use it)."""
    return [ipaddress.ip_network(net, strict=False) for net in getattr(settings, "R2P_LINK_CHECK_ALLOWED_NETWORKS", [])]


def address_refusal(address: str) -> str:
    """Why the checker must not connect to `address` ("" when it may): loopback, private, link-local, multicast,
    reserved, unspecified or otherwise not globally routable, for IPv4 and IPv6, looking inside IPv4-mapped,
    6to4 and Teredo IPv6 addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if any(ip in network for network in _allowed_networks()):
        return ""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            reason = address_refusal(str(embedded))
            return f"{reason} (inside {ip})" if reason else ""
    for kind in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified", "site_local"):
        if getattr(ip, f"is_{kind}", False):
            return f"{kind.replace('_', '-')} address {ip}"
    if not ip.is_global:
        return f"non-public address {ip}"
    return ""


def resolve_public(host: str, port: int) -> str:
    """One address of `host` to connect to; LinkRefused when any address it resolves to is not public (a name
    that resolves to a public and a private address is refused, so the choice cannot be steered)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise LinkRefused(f"cannot resolve {host}: {error}") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise LinkRefused(f"cannot resolve {host}")
    for address in addresses:
        reason = address_refusal(address)
        if reason:
            raise LinkRefused(f"refused: {host} resolves to a {reason}")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to a moment later."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL; LinkRefused for anything else."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise LinkRefused("not an http(s) URL")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise LinkRefused(f"malformed URL: {error}") from error
    if not host:
        raise LinkRefused("the URL has no host")
    if parts.username or parts.password:
        raise LinkRefused("URLs with credentials are not checked")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _request(url: str, method: str, deadline: float) -> tuple[int, str]:
    """One request to a checked address: (status, Location header). Reads at most LINK_MAX_BYTES of body."""
    scheme, host, port, path = _target(url)
    address = resolve_public(host, port)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("timed out")
    connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = connection_class(host, port, address, timeout=remaining)
    try:
        connection.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Connection": "close"})
        response = connection.getresponse()
        read = 0
        while method != "HEAD" and read < LINK_MAX_BYTES and time.monotonic() < deadline:
            chunk = response.read(min(16 * 1024, LINK_MAX_BYTES - read))
            if not chunk:
                break
            read += len(chunk)
        return response.status, response.getheader("Location", "") or ""
    finally:
        connection.close()


def _follow(url: str, method: str, deadline: float) -> int:
    """The final status of `url`, following at most LINK_MAX_REDIRECTS redirects by hand (each one checked)."""
    for _ in range(LINK_MAX_REDIRECTS + 1):
        status, location = _request(url, method, deadline)
        if status not in REDIRECTS or not location:
            return status
        url = urljoin(url, location)
    raise LinkRefused(f"more than {LINK_MAX_REDIRECTS} redirects")


def check_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> LinkResult:
    """HEAD first; servers that refuse HEAD (405/501, or 403 from some CDNs) are asked with GET.

    A plain function (a background task may call it): it resolves the host itself and refuses any address that
    is not public, before connecting and after every redirect; `timeout` bounds the whole check of one URL.
    """
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return LinkResult(url, None, "not an http(s) URL")
    deadline = time.monotonic() + timeout
    try:
        status = _follow(url, "HEAD", deadline)
        if status in (403, 405, 501):
            status = _follow(url, "GET", deadline)
        return LinkResult(url, status, "" if status < 400 else f"HTTP {status}")
    except LinkRefused as error:
        logger.warning("link check refused %s: %s", url[:200], error)
        return LinkResult(url, None, str(error)[:300])
    except (TimeoutError, OSError, ValueError, http.client.HTTPException, ssl.SSLError) as error:
        return LinkResult(url, None, (str(error) or type(error).__name__)[:300])


def links_check(
    *,
    sources=None,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
    checker: Callable[..., LinkResult] = check_url,
) -> LinkReport:
    """Check the URL of every cited source (or of `sources`), each URL once, and record the outcome."""
    if sources is None:
        sources = Source.objects.filter(citations__isnull=False).exclude(url="").distinct()
    by_url: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        if source.url:
            by_url[source.url].append(source)
    report = LinkReport(sources_by_url={url: [source.key for source in group] for url, group in by_url.items()})
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for result in pool.map(lambda url: checker(url, timeout=timeout), list(by_url)):
            report.results[result.url] = result
    checked_at = timezone.now()
    links_record(
        results={
            source.pk: (report.results[url].status, report.results[url].error)
            for url, group in by_url.items()
            for source in group
        },
        checked_at=checked_at,
    )
    return report
