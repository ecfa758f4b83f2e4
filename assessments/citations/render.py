"""Notes with citations to HTML with numbered footnotes in the house style.

Interface used by the editor preview, the country page and the annex exporters. Footnotes are numbered
1..N through the items in the order given; the house style (full form on a source's first citation,
short form afterwards, `Ibid.` when the immediately preceding citation is the same source) is derived
here at render time, so moving a paragraph can never leave a stale "Ibid.".
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from markdown_it.token import Token

from assessments.rendering import sanitize_html

from .style import (
    Rich,
    StyleState,
    end_sentence,
    format_ibid,
    format_unknown,
    join,
    normalise_locator,
    plain,
    safe_full,
    safe_short,
)
from .syntax import (
    CITATION_TOKEN,
    FOOTNOTE_TOKEN,
    CitationRef,
    FootnoteSpan,
    iter_footnotes,
    locate,
    notes_markdown,
    parse_notes,
)


@dataclass(frozen=True)
class Footnote:
    number: int
    html: str  # sanitised HTML of the footnote text (italics, links)
    text: str  # the same as plain text
    markdown: str = ""  # the same with *titles* and <URLs>, the notation of the reference annex
    keys: tuple[str, ...] = ()  # citation keys in the footnote, in order


@dataclass(frozen=True)
class UnknownKey:
    key: str
    line: int
    column: int


@dataclass
class RenderedNotes:
    html: str  # sanitised HTML of the notes with <sup> footnote markers linking to #fn-N
    footnote_numbers: list[int] = field(default_factory=list)
    unknown_keys: list[UnknownKey] = field(default_factory=list)


@dataclass
class RenderedAnnex:
    notes: dict[int, RenderedNotes]  # AssessmentItem pk → its rendered notes
    footnotes: list[Footnote]

    @property
    def unknown_keys(self) -> list[UnknownKey]:
        return [unknown for notes in self.notes.values() for unknown in notes.unknown_keys]


def footnote_marker(number: int) -> str:
    return f'<sup class="fn-ref" id="fnref-{number}"><a href="#fn-{number}">{number}</a></sup>'


class _Citer:
    """Walks citations in reading order and chooses each one's form.

    Ibid. (Chicago): a note's first citation is "Ibid." only when the previous footnote cited exactly that
    one work and nothing else; after a note citing several works, or a prose-only note, the short form is
    used. Within a note, a citation repeating the one just before it is "Ibid." too.
    """

    def __init__(self, sources: Mapping[str, object], ibid: bool):
        self.sources = sources
        self.ibid = ibid
        self.style = StyleState()
        self.cited: set[str] = set()
        self.previous_note: list[tuple[str, str]] = []  # (key, locator) of every citation of the previous note
        self.note: list[tuple[str, str]] = []  # the same for the note being rendered

    def begin_note(self) -> None:
        self.note = []

    def end_note(self) -> None:
        self.previous_note = self.note

    def _ibid(self, ref: CitationRef) -> bool:
        if not self.ibid:
            return False
        if self.note:
            before = self.note[-1]
        elif self.previous_note and {key for key, _ in self.previous_note} == {ref.key}:
            before = self.previous_note[-1]
        else:
            return False
        # "Ibid." alone repeats the previous locator; a whole-work citation after a located one is short form.
        return before[0] == ref.key and (bool(ref.locator) or not before[1])

    def cite(self, ref: CitationRef) -> Rich:
        source = self.sources.get(ref.key)
        ibid = source is not None and self._ibid(ref)
        previous = self.note[-1] if self.note else (self.previous_note[-1] if self.previous_note else None)
        self.note.append((ref.key if source is not None else f"?{ref.key}", ref.locator))
        locator = normalise_locator(ref.locator)
        if source is None:
            return format_unknown(ref.key, ref.locator)
        if ibid:
            return format_ibid("" if previous and ref.locator == previous[1] else locator)
        if ref.key in self.cited:
            return safe_short(source, locator)
        self.cited.add(ref.key)
        return safe_full(source, locator, self.style)

    def group(self, refs: Sequence[CitationRef]) -> Rich:
        return end_sentence(join([self.cite(ref) for ref in refs], "; "))

    def introduce(self, prose: str) -> None:
        """Abbreviations the annex's own prose introduces ("the Asia Pacific Forum (APF)") print short."""
        for source in self.sources.values():
            abbreviation = getattr(source, "author_abbreviation", "")
            if abbreviation and f"({abbreviation})" in prose:
                self.style.introduced_abbreviations.add(abbreviation)


def _inline(tokens: Iterable[Token], citer: _Citer) -> Rich:
    """Inline markdown of an explanatory footnote, with its citation groups in house style."""
    out = Rich()
    stack: list[str] = []
    for token in tokens:
        kind = token.type
        if kind in ("text", "text_special"):
            out = out + plain(token.content)
        elif kind in ("softbreak", "hardbreak"):
            out = out + " "
        elif kind == "code_inline":
            out = out + Rich(f"<code>{escape(token.content, quote=False)}</code>", token.content, f"`{token.content}`")
        elif kind in ("em_open", "strong_open"):
            tag, mark = ("em", "*") if kind == "em_open" else ("strong", "**")
            stack.append(mark)
            out = out + Rich(f"<{tag}>", "", mark)
        elif kind in ("em_close", "strong_close"):
            tag = "em" if kind == "em_close" else "strong"
            out = out + Rich(f"</{tag}>", "", stack.pop() if stack else "")
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            stack.append(href)
            out = out + Rich(f'<a href="{escape(href)}">', "", "[")
        elif kind == "link_close":
            href = stack.pop() if stack else ""
            out = out + Rich("</a>", f" <{href}>", f"]({href})")
        elif kind == "image":
            out = out + plain(token.content)
        elif kind == CITATION_TOKEN:
            out = out + citer.group(token.meta["refs"])
    return out


def _footnote_content(span: FootnoteSpan, citer: _Citer) -> Rich:
    if span.explanatory:
        return _inline(span.token.children or [], citer).strip()
    return citer.group(span.token.meta["refs"])


def _spans_with_prose(tokens: list[Token]) -> Iterable[tuple[FootnoteSpan, str]]:
    """Each footnote of parsed notes in reading order, with the item's prose before its marker."""
    prose: list[str] = []
    spans = iter(iter_footnotes(tokens))
    for block in tokens:
        if block.type != "inline":
            continue
        for child in block.children or []:
            if child.type in (CITATION_TOKEN, FOOTNOTE_TOKEN):
                yield next(spans), "".join(prose)
            elif child.type == "text":
                prose.append(child.content)


def _unknown_keys(text: str, refs: list[CitationRef], sources: Mapping[str, object]) -> list[UnknownKey]:
    unknown = []
    for ref in locate(text, refs):
        if ref.key not in sources:
            line, column = ref.line_and_column(text)
            unknown.append(UnknownKey(key=ref.key, line=line, column=column))
    return unknown


def keys_in(texts: Iterable[str]) -> set[str]:
    """Every citation key the texts use (to batch-load their sources in one query)."""
    return {ref.key for text in texts for span in iter_footnotes(parse_notes(text)) for ref in span.refs()}


def load_sources(keys: Iterable[str]) -> dict[str, object]:
    from assessments.models import Source

    keys = set(keys)
    return {source.key: source for source in Source.objects.filter(key__in=keys)} if keys else {}


def _render_texts(
    texts: Sequence[tuple[int, str]], sources: Mapping[str, object] | None, ibid: bool, first_number: int
) -> RenderedAnnex:
    parsed = [(pk, text or "", parse_notes(text or "")) for pk, text in texts]
    spans_by_pk = {pk: list(iter_footnotes(tokens)) for pk, _, tokens in parsed}
    if sources is None:
        sources = load_sources(ref.key for spans in spans_by_pk.values() for span in spans for ref in span.refs())
    citer = _Citer(sources, ibid)
    number = first_number
    notes: dict[int, RenderedNotes] = {}
    footnotes: list[Footnote] = []
    for pk, text, tokens in parsed:
        numbers, refs = [], []
        for span, prose in _spans_with_prose(tokens):
            citer.introduce(prose)
            citer.begin_note()
            content = _footnote_content(span, citer)
            citer.end_note()
            span_refs = span.refs()
            refs.extend(span_refs)
            span.token.meta = {**(span.token.meta or {}), "number": number}
            footnotes.append(
                Footnote(
                    number=number,
                    html=sanitize_html(content.html),
                    text=content.text,
                    markdown=content.markdown,
                    keys=tuple(ref.key for ref in span_refs),
                )
            )
            numbers.append(number)
            number += 1
        html = sanitize_html(notes_markdown.renderer.render(tokens, notes_markdown.options, {}))
        notes[pk] = RenderedNotes(html=html, footnote_numbers=numbers, unknown_keys=_unknown_keys(text, refs, sources))
    return RenderedAnnex(notes=notes, footnotes=footnotes)


def render_annex(items: Sequence, *, sources: Mapping[str, object] | None = None, ibid: bool = True) -> RenderedAnnex:
    """Render items given in reading order; footnotes are numbered 1..N across all of them.

    `sources` maps citation keys to Source rows (load them in one query, e.g. with `load_sources`);
    when omitted they are loaded here in one query. Keys missing from it render as typed and are
    reported in `unknown_keys`.
    """
    return _render_texts([(item.pk, item.notes) for item in items], sources, ibid, 1)


def render_notes(
    text: str, *, sources: Mapping[str, object] | None = None, ibid: bool = True, first_number: int = 1
) -> RenderedAnnex:
    """Render one text on its own (editor preview); its notes are under key 0."""
    return _render_texts([(0, text)], sources, ibid, first_number)
