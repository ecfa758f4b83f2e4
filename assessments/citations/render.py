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
    plain,
    safe_full,
    safe_short,
)
from .syntax import (
    CITATION_TOKEN,
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
    """Walks citations in reading order and chooses each one's form."""

    def __init__(self, sources: Mapping[str, object], ibid: bool):
        self.sources = sources
        self.ibid = ibid
        self.style = StyleState()
        self.cited: set[str] = set()
        self.previous: tuple[str, str] | None = None  # (key, locator) of the preceding citation

    def cite(self, ref: CitationRef) -> Rich:
        source = self.sources.get(ref.key)
        if source is None:
            self.previous = None
            return format_unknown(ref.key, ref.locator)
        previous, self.previous = self.previous, (ref.key, ref.locator)
        if self.ibid and previous and previous[0] == ref.key and (ref.locator or not previous[1]):
            return format_ibid("" if ref.locator == previous[1] else ref.locator)
        if ref.key in self.cited:
            return safe_short(source, ref.locator)
        self.cited.add(ref.key)
        return safe_full(source, ref.locator, self.style)

    def group(self, refs: Sequence[CitationRef]) -> Rich:
        return end_sentence(join([self.cite(ref) for ref in refs], "; "))


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
        for span in spans_by_pk[pk]:
            content = _footnote_content(span, citer)
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
