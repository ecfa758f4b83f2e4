"""Checks on citations: unknown keys (drafts may keep them, review may not) and the per-annex report."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .render import UnknownKey
from .syntax import extract_citations


def unknown_keys(text: str, known_keys: Iterable[str] | None = None) -> list[UnknownKey]:
    """Citations in the text whose key is not in the library, with line and column of each `@key`.

    `known_keys` may be given to avoid the query (e.g. when checking many texts at once).
    """
    refs = extract_citations(text or "")
    if not refs:
        return []
    if known_keys is None:
        from assessments.models import Source

        known = set(Source.objects.filter(key__in={ref.key for ref in refs}).values_list("key", flat=True))
    else:
        known = set(known_keys)
    unknown = []
    for ref in refs:
        if ref.key not in known:
            line, column = ref.line_and_column(text)
            unknown.append(UnknownKey(key=ref.key, line=line, column=column))
    return unknown


def describe(unknown: UnknownKey) -> str:
    return f"Unknown citation key @{unknown.key} (line {unknown.line}, column {unknown.column})"


def citations_ready_for_review(item) -> list[str]:
    """Problems that stop the item going to review (empty when every citation resolves)."""
    return [describe(unknown) for unknown in unknown_keys(item.notes)]


# --- the per-country-assessment report ------------------------------------------------------------


def normalised_url(url: str) -> str:
    """`https://www.Example.org/a/#x` and `http://example.org/a` look the same."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}{'?' + parts.query if parts.query else ''}"


def normalised_title(title: str) -> str:
    return re.sub(r"[\W_]+", " ", (title or "").casefold()).strip()


@dataclass
class DuplicatePair:
    cited: object  # the cited Source
    other: object  # a library Source that looks the same
    reason: str


@dataclass
class ItemUnknownKeys:
    item: object
    unknown: list[UnknownKey]


@dataclass
class CitationReport:
    unknown: list[ItemUnknownKeys] = field(default_factory=list)
    missing_url: list = field(default_factory=list)
    missing_year: list = field(default_factory=list)
    duplicates: list[DuplicatePair] = field(default_factory=list)
    sources_cited: int = 0
    citations: int = 0

    @property
    def clean(self) -> bool:
        return not (self.unknown or self.missing_url or self.missing_year or self.duplicates)


def duplicate_candidates(sources: Iterable, library: Iterable) -> list[DuplicatePair]:
    """Library sources that look like one of `sources`: same URL (ignoring scheme, www, fragment, trailing /),
    or the same author, title and year (ignoring case and punctuation)."""
    by_url, by_title = defaultdict(list), defaultdict(list)
    for other in library:
        if other.url:
            by_url[normalised_url(other.url)].append(other)
        by_title[(normalised_title(other.author_text), normalised_title(other.title), other.issued_year)].append(other)
    pairs, seen = [], set()
    for source in sources:
        matches = []
        if source.url:
            matches += [(other, "same URL") for other in by_url.get(normalised_url(source.url), [])]
        matches += [
            (other, "same author, title and year")
            for other in by_title.get(
                (normalised_title(source.author_text), normalised_title(source.title), source.issued_year), []
            )
        ]
        for other, reason in matches:
            pair = tuple(sorted((source.pk, other.pk)))
            if other.pk != source.pk and pair not in seen:
                seen.add(pair)
                pairs.append(DuplicatePair(cited=source, other=other, reason=reason))
    return pairs


def citation_report(items: list) -> CitationReport:
    """Unknown keys per item, cited sources without URL or year, and duplicate-looking sources.

    Three queries whatever the size of the annex: the cited sources, and the library's identifying columns.
    """
    from assessments.models import Source

    refs_by_item = {item.pk: extract_citations(item.notes) for item in items}
    keys = {ref.key for refs in refs_by_item.values() for ref in refs}
    sources = {source.key: source for source in Source.objects.filter(key__in=keys)} if keys else {}
    report = CitationReport(sources_cited=len(sources), citations=sum(len(refs) for refs in refs_by_item.values()))
    for item in items:
        unknown = unknown_keys(item.notes, known_keys=sources.keys()) if refs_by_item[item.pk] else []
        if unknown:
            report.unknown.append(ItemUnknownKeys(item=item, unknown=unknown))
    cited = sorted(sources.values(), key=lambda source: source.key)
    report.missing_url = [source for source in cited if not source.url]
    report.missing_year = [source for source in cited if not source.issued_year]
    if cited:
        library = Source.objects.only("pk", "key", "title", "url", "issued_year", "author_text")
        report.duplicates = duplicate_candidates(cited, library)
    return report
