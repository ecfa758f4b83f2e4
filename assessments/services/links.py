"""Check that cited URLs still answer: bounded concurrency, a timeout per request, status recorded per source."""

import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils import timezone

from assessments.models import Source
from assessments.services.sources import links_record

USER_AGENT = "r2p-link-check/1.0 (+citation library maintenance)"
DEFAULT_CONCURRENCY = 8
DEFAULT_TIMEOUT = 10.0


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


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only, checked)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> LinkResult:
    """HEAD first; servers that refuse HEAD (405/501, or 403 from some CDNs) are asked with GET."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return LinkResult(url, None, "not an http(s) URL")
    try:
        status = _request(url, "HEAD", timeout)
        if status in (403, 405, 501):
            status = _request(url, "GET", timeout)
        return LinkResult(url, status, "" if status < 400 else f"HTTP {status}")
    except urllib.error.URLError as error:
        return LinkResult(url, None, str(error.reason)[:300])
    except (TimeoutError, OSError, ValueError) as error:
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
