"""The house style of the reference annex: full, short and Ibid. forms of a citation.

Each form is built as `Rich` text, which carries the same words as HTML (titles in <em>, URLs as links),
as plain text, and as markdown-ish text (`*Title*`, `<URL>`), the notation of the reference footnotes.
"""

import calendar
import logging
import re
from dataclasses import dataclass, field
from html import escape
from typing import Protocol
from urllib.parse import urlsplit

PERIODICAL_TYPES = {"article-newspaper", "article-magazine", "article-journal", "post-weblog"}
LEGAL_TYPES = {"legislation", "treaty", "bill", "regulation", "legal_case"}
UN_DOCUMENT_TYPE = "document"
CHAPTER_TYPE = "chapter"
PUBLISHER_SHOWN_TYPES = {"book", "report", "chapter"}
SENTENCE_END = (".", "?", "!")
CLOSING_QUOTES = "'\"’”*"
logger = logging.getLogger(__name__)


class SourceLike(Protocol):
    key: str
    type: str
    authors: list
    author_abbreviation: str
    issued_year: int | None
    issued_month: int | None
    issued_day: int | None
    title: str
    container_title: str
    publisher: str
    url: str
    un_symbol: str


@dataclass(frozen=True)
class Rich:
    html: str = ""
    text: str = ""
    markdown: str = ""

    def __add__(self, other: "Rich | str") -> "Rich":
        other = plain(other) if isinstance(other, str) else other
        return Rich(self.html + other.html, self.text + other.text, self.markdown + other.markdown)

    def __bool__(self) -> bool:
        return bool(self.text)

    def strip(self) -> "Rich":
        """Trim surrounding whitespace (the HTML form is trimmed the same way; tags never start with space)."""
        return Rich(self.html.strip(), self.text.strip(), self.markdown.strip())

    def ends_sentence(self) -> bool:
        return self.text.rstrip().rstrip(CLOSING_QUOTES).endswith(SENTENCE_END)


def plain(text: str) -> Rich:
    return Rich(escape(text, quote=False), text, text)


def em(text: str) -> Rich:
    return Rich(f"<em>{escape(text, quote=False)}</em>", text, f"*{text}*")


def join(parts: list[Rich], separator: str) -> Rich:
    result = Rich()
    for index, part in enumerate(parts):
        result = result + (separator if index else "") + part
    return result


def link(url: str) -> Rich:
    """A URL shown in angle brackets as in the reference annex; a link only for http(s)."""
    if urlsplit(url).scheme.lower() in ("http", "https"):
        shown = escape(url, quote=False)
        return Rich(f'&lt;<a href="{escape(url)}">{shown}</a>&gt;', f"<{url}>", f"<{url}>")
    return plain(f"<{url}>")


def end_sentence(text: Rich) -> Rich:
    """Add the full stop that ends a citation group, unless the text already ends a sentence."""
    return text if not text or text.ends_sentence() else text + "."


def quoted(title: str) -> str:
    return f"'{title}'"


def after_quoted(title: str) -> str:
    """`'Title'.` but `'Title?'` — no stop after a title that ends with its own punctuation."""
    return "" if title.rstrip().endswith(SENTENCE_END) else "."


@dataclass
class StyleState:
    """What the annex has printed so far: organisation abbreviations already introduced."""

    introduced_abbreviations: set[str] = field(default_factory=set)


def person_names(authors: list) -> str:
    """`Kwok, Andre, Nathaneal Kwon` — first author family-first, the rest given-first; organisations as named."""
    names = []
    for index, name in enumerate(authors if isinstance(authors, list) else []):
        if not isinstance(name, dict):
            continue
        name = {part: value for part, value in name.items() if isinstance(value, str)}  # malformed parts: left out
        if name.get("literal"):
            names.append(name["literal"])
            continue
        family = " ".join(filter(None, [name.get("non-dropping-particle"), name.get("family")]))
        given = " ".join(filter(None, [name.get("given"), name.get("dropping-particle")]))
        suffix = name.get("suffix")
        if index == 0:
            names.append(", ".join(filter(None, [family, given, suffix])))
        else:
            names.append(" ".join(filter(None, [given, family])) + (f", {suffix}" if suffix else ""))
    return ", ".join(name for name in names if name)


def author_full(source: SourceLike, state: StyleState) -> str:
    names = person_names(source.authors) or source.publisher or source.container_title
    abbreviation = source.author_abbreviation
    if not abbreviation:
        return names
    if abbreviation in state.introduced_abbreviations or not names:
        return abbreviation
    state.introduced_abbreviations.add(abbreviation)
    return f"{names} ({abbreviation})"


def author_short(source: SourceLike) -> str:
    return source.author_abbreviation or person_names(source.authors) or source.publisher or source.container_title


def year_text(source: SourceLike) -> str:
    return str(source.issued_year) if source.issued_year else "n.d."


def year_stop(source: SourceLike) -> str:
    """`2022. ` but `n.d. ` (no doubled stop)."""
    year = year_text(source)
    return f"{year} " if year.endswith(".") else f"{year}. "


def date_text(source: SourceLike, *, with_year: bool) -> str:
    """`22 August` (periodicals) or `12 April 2011` (with_year); empty when only the year is known."""
    if not source.issued_month or not 1 <= source.issued_month <= 12:
        return year_text(source) if with_year else ""
    parts = [str(source.issued_day) if source.issued_day else "", calendar.month_name[source.issued_month]]
    if with_year and source.issued_year:
        parts.append(str(source.issued_year))
    return " ".join(part for part in parts if part)


def _lead(author: str, rest: Rich, separator: str = ", ") -> Rich:
    return (plain(author + separator) + rest) if author else rest


def _tail(parts: list[Rich]) -> Rich:
    return join([part for part in parts if part], ", ")


def format_full(source: SourceLike, locator: str, state: StyleState) -> Rich:
    """The first citation of a source in the annex: everything a reader needs to find it."""
    author = author_full(source, state)
    url = link(source.url) if source.url else Rich()
    locator_rich = plain(locator) if locator else Rich()
    if source.type in PERIODICAL_TYPES:
        text = _lead(author, plain(f"{year_stop(source)}{quoted(source.title)}{after_quoted(source.title)}"))
        where = _tail(
            [
                em(source.container_title) if source.container_title else Rich(),
                plain(date_text(source, with_year=False)),
                locator_rich,
            ]
        )
        if where:
            text = text + " " + where
        if url:
            text = end_sentence(text) + " Available at: " + url
        return text
    if source.type in LEGAL_TYPES:
        text = plain(f"{author}. " if author else "") + plain(f"{quoted(source.title)}{after_quoted(source.title)}")
        text = text + f" ({date_text(source, with_year=True)})"
        if locator:
            text = text + ", " + locator_rich
        return end_sentence(text) + " " + url if url else text
    if source.type == UN_DOCUMENT_TYPE and source.un_symbol:
        return _lead(
            author,
            _tail(
                [
                    plain(source.title),
                    plain(date_text(source, with_year=True)),
                    plain(source.un_symbol),
                    locator_rich,
                    url,
                ]
            ),
        )
    if source.type == CHAPTER_TYPE and source.container_title:
        title = plain(f"{quoted(source.title)}, in ") + em(source.container_title)
    else:
        title = em(source.title)
    publisher = (
        plain(source.publisher)
        if source.type in PUBLISHER_SHOWN_TYPES and source.publisher and source.publisher not in author
        else Rich()
    )
    symbol = plain(source.un_symbol) if source.un_symbol else Rich()
    return _lead(author, plain(year_stop(source)) + _tail([title, publisher, symbol, locator_rich, url]))


def format_short(source: SourceLike, locator: str) -> Rich:
    """A later citation: `HRW, 2022. *South Korea: Events of 2021*, 'Women and Girls' Rights'`."""
    author = author_short(source)
    locator_rich = plain(locator) if locator else Rich()
    if source.type in LEGAL_TYPES:
        return _tail([plain(f"{author}. " if author else "") + plain(quoted(source.title)), locator_rich])
    if source.type == UN_DOCUMENT_TYPE and source.un_symbol:
        return _lead(author, _tail([plain(source.un_symbol), locator_rich]))
    title = plain(quoted(source.title)) if source.type in PERIODICAL_TYPES | {CHAPTER_TYPE} else em(source.title)
    return _lead(author, plain(year_stop(source)) + _tail([title, locator_rich]))


def format_ibid(locator: str) -> Rich:
    return plain(f"Ibid., {locator}" if locator else "Ibid.")


def format_unknown(key: str, locator: str) -> Rich:
    typed = f"[@{key}{', ' + locator if locator else ''}]"
    return Rich(
        f'<span class="citation-unknown" title="Unknown citation key">{escape(typed, quote=False)}</span>', typed, typed
    )


# What a citation of a source shows when its stored data cannot be formatted (it should never happen: imports
# and forms validate; but a page must not fail for one bad row, and the marker tells an editor to fix it).
INVALID_TITLE = "This source holds a value r2p cannot format; an editor should correct it in the source library"
_FORMAT_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError)


def format_invalid(key: str, locator: str) -> Rich:
    typed = f"[@{key}{', ' + locator if locator else ''}: source data invalid]"
    return Rich(
        f'<span class="citation-invalid" title="{escape(INVALID_TITLE)}">{escape(typed, quote=False)}</span>',
        typed,
        typed,
    )


def safe_full(source: SourceLike, locator: str, state: StyleState) -> Rich:
    """`format_full`, or the invalid-source marker when the source's stored values cannot be formatted."""
    try:
        return format_full(source, locator, state)
    except _FORMAT_ERRORS:
        logger.warning("source %s cannot be formatted", getattr(source, "key", "?"), exc_info=True)
        return format_invalid(str(getattr(source, "key", "")), locator)


def safe_short(source: SourceLike, locator: str) -> Rich:
    try:
        return format_short(source, locator)
    except _FORMAT_ERRORS:
        logger.warning("source %s cannot be formatted", getattr(source, "key", "?"), exc_info=True)
        return format_invalid(str(getattr(source, "key", "")), locator)


_LOCATOR = re.compile(
    r"^(?P<label>pp?|pages?|pg|paras?|paragraphs?|¶¶?)\.?\s*(?P<first>[\divxlc]+)"
    r"(?:\s*(?:-|–|—|to)\s*(?P<last>[\divxlc]+))?(?P<rest>.*)$",
    re.I | re.S,
)


def normalise_locator(locator: str) -> str:
    """Pages and paragraphs in the house form: `p. 4`, `pp. 4–5`, `para. 3`, `paras. 3–4` (en dash, no
    spaces). Other locators (a section's title, 'Women and Girls' Rights') are printed as typed."""
    match = _LOCATOR.match(locator.strip())
    if not match:
        return locator
    label = match["label"].lower()
    kind = "para" if label.startswith(("para", "¶")) else "p"
    first, last, rest = match["first"], match["last"], match["rest"]
    if last:
        return f"{'pp' if kind == 'p' else 'paras'}. {first}–{last}{rest}"
    return f"{kind}. {first}{rest}"
