"""Footnotes of a published annex → citations of the source library, in notes markup.

A footnote is cut into citations and prose. Each citation is matched to a library source (by URL, then by
title, then by author and year), or a new source is proposed from its text (author or organisation and its
abbreviation, year or n.d., title, container, date, URL, locator). `Ibid.` and short forms resolve to the
source they point at; `Supra note N` cites note N's source. Prose stays prose (`^[...]`). Text that cannot be
read as a source is kept verbatim as prose and flagged: nothing is dropped.
"""

import calendar
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from django.utils.text import slugify

from .document import ParsedAnnex, ParsedFootnote, ProposedSource

URL_ANGLE = re.compile(r"<(https?://[^>\s]+)>")
URL_MARKDOWN = re.compile(r"\[(https?://[^\]\s]+)\]\((https?://[^)\s]*)\)")
URL_BARE = re.compile(r"(?<![<(\[])\bhttps?://[^\s<>]+")
AUTHOR_YEAR = re.compile(r"(?P<author>[A-Z0-9][^;<>*]{0,200}?), (?P<year>\d{4}[a-z]?|n\.d)\.\s+")
_INLINE_LOCATOR = r"(?P<locator>(?:paras?|pp?|ch|s)\.\s*\d[\d–\- ]*|section\s+[\w.]*\w|'[^']*')"
IBID = re.compile(rf"Ibid\.?(?:,\s*{_INLINE_LOCATOR})?\.?", re.I)
SUPRA = re.compile(rf"Supra,?\s+note\s+(?P<number>\d+)(?:,\s*{_INLINE_LOCATOR})?\.?", re.I)
CONNECTOR = re.compile(r"^(?P<connector>See also:|See:|See further:?|Cf\.|Also:?|For example,?)\s+", re.I)
CONNECTOR_INSIDE = re.compile(r"[.;]\s+(?=(?:See also:|See:|Cf\.)\s)")
LOCATOR = re.compile(
    r"^(?:(?P<page>pp?\.\s*\d+(?:\s*[–-]\s*\d+)?)|(?P<para>paras?\.\s*\d+(?:\s*[–-]\s*\d+)?)"
    r"|(?P<section>'[^']+(?:'[^',.;][^']*)*')|(?P<named>(?:Section|Chapter|Part|Art\.|Article)\s+[\w.]+(?:[^,;<]*)))$"
)
MONTHS = "|".join(calendar.month_name[1:])
DATE = re.compile(rf"^(?P<day>\d{{1,2}})?\s*(?P<month>{MONTHS})(?:\s+(?P<year>\d{{4}}))?$")
UN_SYMBOL = re.compile(r"^[A-Z]{1,6}(?:/[A-Z0-9.]+)+$")
QUOTES = "'‘’\""


def normalise(text: str) -> str:
    text = text.casefold().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def normalise_url(url: str) -> str:
    parts = urlsplit(url.strip().rstrip(".;,"))
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}?{parts.query}".rstrip("?")


@dataclass
class Match:
    key: str
    confidence: str  # "url", "title", "author-year" (low), "proposed" (new source)


class SourceMatcher:
    """The library's sources, indexed for matching (plain tuples: no database access here)."""

    def __init__(self, sources):
        self.sources = list(sources)
        self.by_url = {}
        self.by_title = {}
        self.by_author_year: dict[tuple[str, str], list] = {}
        self.abbreviations: dict[str, list] = {}  # "HRW" → the authors it stands for
        for source in self.sources:
            self.add(source)

    def add(self, source) -> None:
        if source.author_abbreviation and source.authors:
            self.abbreviations.setdefault(source.author_abbreviation, source.authors)
        if source.url:
            self.by_url.setdefault(normalise_url(source.url), source)
        if source.title:
            self.by_title.setdefault(normalise(source.title), []).append(source)
        year = str(source.issued_year) if source.issued_year else "n.d."
        for name in _names(source):
            self.by_author_year.setdefault((name, year), []).append(source)

    def titles_in(self, text: str) -> list:
        """Sources whose full title occurs in the text (for forms without author and year)."""
        wanted = normalise(text)
        return [sources[0] for title, sources in self.by_title.items() if len(title) > 25 and title in wanted]

    def find(self, parsed: dict) -> Match | None:
        for url in parsed.get("urls", []):
            source = self.by_url.get(normalise_url(url))
            if source is not None:
                return Match(source.key, "url")
        title = normalise(parsed.get("title", ""))
        for source in self.by_title.get(title, []) if title else []:
            if parsed.get("urls") and source.url and normalise_url(source.url) != normalise_url(parsed["urls"][0]):
                continue  # same title, another work (e.g. two organisations' pages called "South Korea")
            author = normalise(parsed.get("abbreviation") or parsed.get("author", ""))
            if author and author not in _names(source) and len(title) < 40:
                continue
            return Match(source.key, "title")
        author = normalise(parsed.get("abbreviation") or parsed.get("author", ""))
        candidates = self.by_author_year.get((author, parsed.get("year", "")), [])
        if not candidates and parsed.get("author"):
            first = normalise(parsed["author"].split(",")[0])
            candidates = self.by_author_year.get((first, parsed.get("year", "")), [])
        if title and candidates:
            scored = [(SequenceMatcher(None, title, normalise(s.title)).ratio(), s) for s in candidates]
            best_score, best = max(scored, key=lambda pair: pair[0])
            if best_score >= 0.8:
                return Match(best.key, "author-year")
        return None


def _names(source) -> set[str]:
    names = {normalise(source.author_abbreviation or "")}
    for name in source.authors or []:
        names.add(normalise(name.get("literal") or name.get("family") or ""))
        if name.get("family") and name.get("given"):
            names.add(normalise(f"{name['family']}, {name['given']}"))
    return names - {""}


# --- cutting a footnote into parts ---------------------------------------------------------------------------


@dataclass
class Part:
    kind: str  # "cite", "prose", "ibid", "supra"
    text: str
    locator: str = ""
    number: int = 0


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in URL_ANGLE.finditer(text)] + [m.span() for m in URL_MARKDOWN.finditer(text)]
    for match in URL_BARE.finditer(text):
        if not any(start <= match.start() < end for start, end in spans):
            end = match.end()
            while end > match.start() and text[end - 1] in ".,;)":
                end -= 1
            spans.append((match.start(), end))
    return sorted(spans)


def _starts(text: str) -> list[tuple[int, str]]:
    """Where citations start: author-year forms at a boundary, Ibid. and Supra note N."""
    found: list[tuple[int, str]] = []
    url_spans = _url_spans(text)
    boundaries = [0] + [m.end() for m in re.finditer(r"(?:[;:(]|\.\)?|Ibid\.,)\s+|\(", text)]
    for boundary in sorted(set(boundaries)):
        if boundary >= len(text) or any(start <= boundary < end for start, end in url_spans):
            continue
        rest = text[boundary:]
        if IBID.match(rest):
            found.append((boundary, "ibid"))
            continue
        if SUPRA.match(rest):
            found.append((boundary, "supra"))
            continue
        match = AUTHOR_YEAR.match(rest)
        author = match.group("author") if match else ""
        if match and ". " not in author and ": " not in author and author.count(")") <= author.count("("):
            if not CONNECTOR.match(rest):
                found.append((boundary, "cite"))
    return found


def split_footnote(text: str) -> list[Part]:
    text = " ".join(text.split())
    starts = _starts(text)
    url_spans = _url_spans(text)
    parts: list[Part] = []
    cursor = 0
    for index, (start, kind) in enumerate(starts):
        if start < cursor:
            continue
        if start > cursor:
            parts.append(Part("prose", text[cursor:start]))
        limit = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        if kind == "ibid":
            match = IBID.match(text, start)
            parts.append(Part("ibid", match.group(0), locator=_normalise_locator(match.group("locator") or "")))
            cursor = match.end()
            continue
        if kind == "supra":
            match = SUPRA.match(text, start)
            parts.append(
                Part(
                    "supra",
                    match.group(0),
                    locator=_normalise_locator((match.group("locator") or "").strip()),
                    number=int(match.group("number")),
                )
            )
            cursor = match.end()
            continue
        end = limit
        inside = [span for span in url_spans if start <= span[0] < limit]
        if inside:
            end = inside[0][1]  # a citation has one URL; what follows is the next part
        else:
            connector = CONNECTOR_INSIDE.search(text, start, limit)
            if connector:
                end = connector.start()
        parts.append(Part("cite", text[start:end]))
        cursor = end
    if cursor < len(text):
        parts.append(Part("prose", text[cursor:]))
    return _split_prose_citations(parts)


def _split_prose_citations(parts: list[Part]) -> list[Part]:
    """Prose holding a URL or a UN symbol after a connector ('See also: Republic of Korea. 'Act …'. URL') cites."""
    result = []
    for part in parts:
        if part.kind != "prose":
            result.append(part)
            continue
        body = part.text.strip()
        lead = re.match(r"^[.;,)\s]*", body).group(0)
        body = body[len(lead) :]
        connector = CONNECTOR.match(body)
        head = connector.group(0) if connector else ""
        rest = body[len(head) :]
        if rest and (_url_spans(rest) or _looks_like_un_document(rest)) and not _prose_sentence(rest):
            if lead.strip() or head:
                result.append(Part("prose", lead + head))
            result.append(Part("cite", rest))
        else:
            result.append(part)
    return result


def _looks_like_un_document(text: str) -> bool:
    pieces = [piece.strip() for piece in text.rstrip(". ").split(", ")]
    return len(pieces) >= 3 and bool(UN_SYMBOL.match(pieces[-1]))


def _prose_sentence(text: str) -> bool:
    """Explanatory prose: sentences of words before any reference-like part."""
    before = re.split(r"https?://|<", text)[0]
    return len(before.split()) > 40


# --- reading one citation ------------------------------------------------------------------------------------


def parse_citation(text: str) -> dict:
    """Fields of one printed citation; `complete` is False when part of it could not be read."""
    text = text.strip().rstrip(";").strip()
    result: dict = {"text": text, "urls": [], "complete": True}
    for match in URL_MARKDOWN.finditer(text):
        result["urls"].append(match.group(1))
    for match in URL_ANGLE.finditer(text):
        result["urls"].append(match.group(1))
    rest = URL_MARKDOWN.sub("", text)
    rest = URL_ANGLE.sub("", rest)
    for match in URL_BARE.finditer(rest):
        result["urls"].append(match.group(0).rstrip(".,;)"))
    rest = URL_BARE.sub("", rest)
    rest = re.sub(r"\s*Available at:\s*", " ", rest)
    rest = " ".join(rest.split()).strip().rstrip(".,; ").strip()

    author_year = AUTHOR_YEAR.match(rest + " ") if not rest.endswith(". ") else None
    if author_year and ". " not in author_year.group("author"):
        author = author_year.group("author").strip()
        abbreviation = re.search(r"\s\(([A-Z][A-Z0-9&-]{1,20}[A-Za-z]{0,3})\)$", author)
        if abbreviation:
            result["abbreviation"] = abbreviation.group(1)
            author = author[: abbreviation.start()].strip()
        result["author"] = author
        result["year"] = "n.d." if author_year.group("year") == "n.d" else author_year.group("year")
        body = (rest + " ")[author_year.end() :].strip()
        _read_body(body, result)
        return result
    # Legal form: `Republic of Korea. 'Act …'. (12 April 2011).`
    legal = re.match(r"^(?P<author>[^'‘]+?)\.\s+['‘](?P<title>.+?)['’]\.?\s*\((?P<date>[^)]+)\)\.?$", rest)
    if legal:
        result.update(author=legal.group("author").strip(), title=legal.group("title").strip(), type="legislation")
        _read_date(legal.group("date"), result)
        return result
    # UN document: `United Nations, General Assembly, Title, 17 May 2021, GA/12323`
    pieces = [piece.strip() for piece in rest.split(", ")]
    if len(pieces) >= 3 and UN_SYMBOL.match(pieces[-1]):
        result["un_symbol"] = pieces.pop()
        if DATE.match(pieces[-1]):
            _read_date(pieces.pop(), result)
        author_pieces = 2 if len(pieces) > 2 and len(pieces[1].split()) <= 3 else 1
        result["author"] = ", ".join(pieces[:author_pieces])
        result["title"] = ", ".join(pieces[author_pieces:])
        result["type"] = "document"
        return result
    result["complete"] = False
    result["title"] = rest
    return result


def _read_body(body: str, result: dict) -> None:
    """After `Author, year. `: `*Title*, locator` or `'Title'. *Container*, 22 August` (periodicals)."""
    body = body.strip().rstrip(".").strip()
    periodical = re.match(
        r"^['‘](?P<title>.+?)['’][.]?(?=\s*\*|\s*$|,)\s*(?:\*(?P<container>[^*]+)\*)?(?P<rest>.*)$", body
    )
    if periodical and (periodical.group("container") or not body.startswith("*")):
        result["title"] = periodical.group("title").strip()
        if periodical.group("container"):
            result["container"] = periodical.group("container").strip()
            result["type"] = "article-newspaper"
        else:
            result["type"] = "article-newspaper" if result["urls"] else "report"
        _read_tail(periodical.group("rest"), result, periodical=True)
        return
    titled = re.match(r"^\*(?P<title>[^*]+)\*(?P<rest>.*)$", body)
    if titled:
        result["title"] = titled.group("title").strip()
        result["type"] = "webpage" if result["urls"] else "report"
        _read_tail(titled.group("rest"), result, periodical=False)
        return
    # No emphasis (PDF text loses it): title up to the first ", " that starts a locator or date.
    pieces = body.split(", ")
    result["title"] = pieces[0].strip()
    result["type"] = "webpage" if result["urls"] else "report"
    _read_tail(", ".join(pieces[1:]), result, periodical=False)


def _read_tail(rest: str, result: dict, *, periodical: bool) -> None:
    rest = rest.strip().lstrip(",.").strip().rstrip(",.").strip()
    if not rest:
        return
    pieces = _top_level_commas(rest)
    leftover = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if DATE.match(piece) and "date" not in result:
            _read_date(piece, result)
        elif LOCATOR.match(piece):
            result["locator"] = _normalise_locator(piece)
        elif periodical and "container" not in result and not result.get("locator"):
            result["container"] = piece
        else:
            leftover.append(piece)
    if leftover:
        if "locator" in result:
            result["locator"] = ", ".join([result["locator"], *leftover])
        else:
            result["locator"] = ", ".join(leftover)
            result["uncertain_locator"] = True


def _top_level_commas(text: str) -> list[str]:
    """Split at ', ' outside '…' quotes (locators such as 'Section 2. A, B' keep their commas)."""
    pieces, depth_quote, current = [], False, ""
    index = 0
    while index < len(text):
        char = text[index]
        if char in "'‘’" and (index == 0 or not text[index - 1].isalnum() or depth_quote):
            nxt = text[index + 1] if index + 1 < len(text) else ""
            if not depth_quote and char in "'‘":
                depth_quote = True
            elif depth_quote and (not nxt or not nxt.isalnum()):
                depth_quote = False
        if text.startswith(", ", index) and not depth_quote:
            pieces.append(current)
            current = ""
            index += 2
            continue
        current += char
        index += 1
    pieces.append(current)
    return pieces


def _read_date(text: str, result: dict) -> None:
    match = DATE.match(text.strip())
    if not match:
        return
    result["date"] = text.strip()
    result["month"] = list(calendar.month_name).index(match.group("month"))
    if match.group("day"):
        result["day"] = int(match.group("day"))
    if match.group("year") and not result.get("year"):
        result["year"] = match.group("year")


def _normalise_locator(locator: str) -> str:
    """House style: `pp. 4–5` (the reference prints `p. 4 – 5`)."""
    locator = locator.strip().rstrip(".").strip() if not locator.strip().endswith("'") else locator.strip()
    pages = re.match(r"^pp?\.\s*(\d+)\s*[–-]\s*(\d+)$", locator)
    if pages:
        return f"pp. {pages.group(1)}–{pages.group(2)}"
    return locator.replace("; ", "\\; ")


# --- building markup -----------------------------------------------------------------------------------------


def proposed_csl(parsed: dict, key: str) -> dict:
    entry: dict = {"id": key, "type": parsed.get("type", "report"), "title": parsed.get("title", "")[:500]}
    author = parsed.get("author", "")
    if author:
        entry["author"] = [csl_author(name, index) for index, name in enumerate(_split_authors(author))]
    if parsed.get("abbreviation"):
        entry["custom"] = {"author-abbreviation": parsed["abbreviation"]}
    year = parsed.get("year", "")
    if year and year != "n.d." and year[:4].isdigit():
        date = [int(year[:4])]
        if parsed.get("month"):
            date.append(parsed["month"])
            if parsed.get("day"):
                date.append(parsed["day"])
        entry["issued"] = {"date-parts": [date]}
    if parsed.get("container"):
        entry["container-title"] = parsed["container"]
    if parsed.get("urls"):
        entry["URL"] = parsed["urls"][0]
    if parsed.get("un_symbol"):
        entry["number"] = parsed["un_symbol"]
    if not parsed.get("complete", True):
        entry["note"] = f"Imported from an annex footnote that r2p could not read: {parsed['text']}"
    return entry


def _split_authors(author: str) -> list[str]:
    """`Kwok, Andre, Nathaneal Kwon` → ["Kwok, Andre", "Nathaneal Kwon"]; an organisation stays whole."""
    pieces = [piece.strip() for piece in author.split(", ")]
    if len(pieces) >= 2 and len(pieces[0].split()) == 1 and len(pieces[1].split()) <= 3 and pieces[1][:1].isupper():
        names = [f"{pieces[0]}, {pieces[1]}"] + pieces[2:]
        if all(len(name.split()) <= 4 for name in names[1:]):
            return names
    return [author]


def csl_author(name: str, index: int = 0) -> dict:
    """House style prints the first person family-first (`Kwok, Andre`), later ones given-first; an organisation
    (no comma, or a comma between several words) is a literal name."""
    if ", " in name and len(name.split(", ", 1)[0].split()) == 1:
        family, given = name.split(", ", 1)
        return {"family": family, "given": given}
    words = name.split()
    if index and len(words) in (2, 3) and not _organisation(name):
        return {"family": words[-1], "given": " ".join(words[:-1])}
    return {"literal": name}


def _organisation(name: str) -> bool:
    return bool(re.search(r"\b(of|the|for|and|Centre|Center|Commission|Nations|Forum|House|Watch|Tracker)\b", name))


def _author_slug(author: str) -> str:
    words = [word for word in re.split(r"[^A-Za-z]+", author.split(", ")[0]) if word]
    significant = [word for word in words if word[:1].isupper()]
    if len(words) > 3 and len(significant) > 2:
        return "".join(word[0] for word in significant).lower()
    return slugify(" ".join(words))[:30]


def _key_for(parsed: dict, taken: set[str]) -> str:
    author = parsed.get("abbreviation") or parsed.get("author", "") or "source"
    author_slug = _author_slug(author) or "source"
    year = parsed.get("year") or "nd"
    year = "nd" if year == "n.d." else year
    words = [w for w in slugify(parsed.get("title", "")).split("-") if len(w) > 3][:2]
    base = "-".join([author_slug, year, *words]).strip("-")[:90]
    key, counter = base, 2
    while key in taken:
        key, counter = f"{base}-{counter}", counter + 1
    return key


def _cite(key: str, locator: str) -> str:
    return f"@{key}, {locator}" if locator else f"@{key}"


def footnotes_to_citations(annex: ParsedAnnex, raw: dict[int, str], matcher: SourceMatcher) -> None:
    """Fill `annex.footnotes` (markup per footnote) and `annex.new_sources`; flag every guess."""
    previous_keys: list[tuple[str, str]] = []  # (key, locator) of the previous footnote
    by_number: dict[int, list[tuple[str, str]]] = {}
    proposed_by_text: dict[str, str] = {}
    for number in sorted(raw):
        text = raw[number]
        where = f"footnote {number}"
        parts = split_footnote(text)
        pieces: list[tuple[str, str]] = []  # ("cite", "@key, loc") or ("prose", text)
        cited: list[tuple[str, str]] = []
        for part in parts:
            if part.kind == "ibid":
                if len(previous_keys) != 1:
                    annex.flag("uncertain", where, "Ibid. after a footnote that does not cite exactly one work")
                    if not previous_keys:
                        pieces.append(("prose", part.text))
                        continue
                key, locator = previous_keys[-1]
                locator = part.locator or locator
                pieces.append(("cite", _cite(key, locator)))
                cited.append((key, locator))
            elif part.kind == "supra":
                target = by_number.get(part.number, [])
                if len(target) != 1:
                    annex.flag("uncertain", where, f"Supra note {part.number}: that note does not cite one work")
                if not target:
                    pieces.append(("prose", part.text))
                    continue
                key = target[0][0]
                pieces.append(("cite", _cite(key, part.locator)))
                cited.append((key, part.locator))
            elif part.kind == "cite":
                parsed = parse_citation(part.text)
                match = matcher.find(parsed)
                if match is None and not parsed.get("complete", True):
                    for source in matcher.titles_in(part.text):
                        match = Match(source.key, "title")
                        break
                locator = parsed.get("locator", "")
                if match is None:
                    identity = "|".join(
                        [
                            normalise(parsed.get("title", "")),
                            parsed.get("year") or "",
                            normalise(parsed.get("author", "")),
                        ]
                        + [normalise_url(url) for url in parsed.get("urls", [])[:1]]
                    )
                    key = proposed_by_text.get(identity)
                    if key is None:
                        taken = {s.key for s in matcher.sources} | set(annex.new_sources)
                        key = _key_for(parsed, taken)
                        entry = proposed_csl(parsed, key)
                        if parsed.get("author") in matcher.abbreviations and "abbreviation" not in parsed:
                            # A short form of an organisation introduced earlier: `HRW, 2020. …`
                            entry["author"] = matcher.abbreviations[parsed["author"]]
                            entry["custom"] = {"author-abbreviation": parsed["author"]}
                        annex.new_sources[key] = ProposedSource(
                            csl=entry, text=part.text, complete=parsed.get("complete", True)
                        )
                        proposed_by_text[identity] = key
                        matcher.add(_CslSource(entry))
                        if not parsed.get("complete", True):
                            annex.flag(
                                "uncertain", where, f"could not read this as a source; kept verbatim: {part.text!r}"
                            )
                        else:
                            annex.flag("uncertain", where, f"new source proposed: @{key}")
                    match = Match(key, "proposed")
                elif match.confidence == "author-year":
                    annex.flag("uncertain", where, f"matched @{match.key} by author, year and a similar title")
                if parsed.get("uncertain_locator"):
                    annex.flag("uncertain", where, f"read {locator!r} as the locator of @{match.key}")
                pieces.append(("cite", _cite(match.key, locator)))
                cited.append((match.key, locator))
            else:
                pieces.append(("prose", part.text))
        markup = _markup(pieces)
        if not cited:
            annex.flag("uncertain", where, "no source found in this footnote; kept as prose")
        annex.footnotes[number] = ParsedFootnote(number=number, text=text, markup=markup, keys=[k for k, _ in cited])
        previous_keys = cited
        by_number[number] = cited


def _markup(pieces: list[tuple[str, str]]) -> str:
    """Adjacent citations separated only by punctuation form one group; any prose makes it `^[...]`."""
    out: list[str] = []
    group: list[str] = []
    has_prose = False

    def flush():
        if group:
            out.append("[" + "; ".join(group) + "]")
            group.clear()

    for kind, text in pieces:
        if kind == "cite":
            group.append(text)
            continue
        stripped = text.strip()
        if out or group:
            stripped = re.sub(r"^[.;,]\s*", "", stripped) if not stripped.startswith(".)") else stripped[1:]
        if not stripped or stripped in {".", ";", ","}:
            continue
        flush()
        has_prose = True
        out.append(stripped)
    flush()
    if not has_prose and len(out) == 1:
        return out[0]
    text = ""
    for piece in out:
        if text and not piece.startswith((")", ".", ",", ";")):
            text += " "
        text += piece
    return f"^[{text}]"


@dataclass
class _CslSource:
    """A proposed source, shaped like a Source for the matcher (so later short forms find it)."""

    key: str
    title: str
    url: str
    authors: list
    author_abbreviation: str
    issued_year: int | None

    def __init__(self, entry: dict):
        self.key = entry["id"]
        self.title = entry.get("title", "")
        self.url = entry.get("URL", "")
        self.authors = entry.get("author", [])
        self.author_abbreviation = (entry.get("custom") or {}).get("author-abbreviation", "")
        parts = (entry.get("issued") or {}).get("date-parts") or [[None]]
        self.issued_year = parts[0][0]
