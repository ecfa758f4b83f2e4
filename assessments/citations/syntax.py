"""Pandoc-style citations in notes, parsed by a markdown-it-py plugin over its inline token stream.

Forms: `[@key]`, `[@key, p. 4]`, `[@key, 'Section 2']`, `[@a; @b, para. 70]` (a citation group: one footnote)
and `^[prose with [@key] citations]` (an explanatory footnote). A locator that contains a semicolon
escapes it as `\\;`. Citation groups inside an explanatory footnote belong to that footnote.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

KEY_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*"
# Citations in a group are separated by ";"; a locator containing one escapes it as \;.
UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")
CITATION_ITEM = re.compile(r"^\s*@(?P<key>" + KEY_PATTERN + r")\s*(?:,\s*(?P<locator>.*?))?\s*$", re.S)
GROUP_START = re.compile(r"\[\s*@")
# A bracketed group whose every part starts with @key (kept for callers that scan raw text; parsing uses the plugin).
CITATION_GROUP = re.compile(r"\[(\s*@" + KEY_PATTERN + r"[^\[\]]*)\]")

CITATION_TOKEN = "r2p_citation"  # a citation group; meta["refs"] holds its CitationRefs
FOOTNOTE_TOKEN = "r2p_footnote"  # ^[...]; children hold its parsed inline content
_IN_FOOTNOTE = "_r2p_in_footnote"


@dataclass(frozen=True)
class CitationRef:
    key: str
    locator: str
    offset: int = 0  # character offset of `@key` in the notes, for messages

    def line_and_column(self, text: str) -> tuple[int, int]:
        before = text[: self.offset]
        return before.count("\n") + 1, self.offset - (before.rfind("\n") + 1) + 1


def clean_key(key: str) -> str:
    """Keys may not end with punctuation that belongs to the sentence."""
    return key.rstrip(".:,;")


def parse_group(body: str, offset: int = 0) -> list[CitationRef] | None:
    """Parse the inside of one `[...]` group; None when it is not a citation group."""
    refs = []
    for part in UNESCAPED_SEMICOLON.split(body):
        match = CITATION_ITEM.match(part)
        if not match:
            return None
        locator = (match.group("locator") or "").strip().replace("\\;", ";")
        refs.append(CitationRef(key=clean_key(match.group("key")), locator=locator, offset=offset))
    return refs


def _citation_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "[" or not GROUP_START.match(state.src, start):
        return False
    end = state.src.find("]", start + 1, state.posMax)
    if end < 0:
        return False
    body = state.src[start + 1 : end]
    if "[" in body:
        return False
    refs = parse_group(body)
    if refs is None:
        return False
    if not silent:
        token = state.push(CITATION_TOKEN, "", 0)
        token.meta = {"refs": refs}
    state.pos = end + 1
    return True


def _footnote_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if start + 2 >= state.posMax or state.src[start] != "^" or state.src[start + 1] != "[":
        return False
    if state.env.get(_IN_FOOTNOTE):
        return False  # footnotes do not nest
    label_end = state.md.helpers.parseLinkLabel(state, start + 1)
    if label_end < 0:
        return False
    if not silent:
        children: list[Token] = []
        state.env[_IN_FOOTNOTE] = True
        try:
            state.md.inline.parse(state.src[start + 2 : label_end], state.md, state.env, children)
        finally:
            state.env[_IN_FOOTNOTE] = False
        token = state.push(FOOTNOTE_TOKEN, "", 0)
        token.children = children
    state.pos = label_end + 1
    return True


def _render_placeholder(self, tokens, idx, options, env) -> str:
    """Without the annex renderer a footnote shows as a bare marker (never its raw text)."""
    number = (tokens[idx].meta or {}).get("number")
    if number is None:
        return ""
    return f'<sup class="fn-ref" id="fnref-{number}"><a href="#fn-{number}">{number}</a></sup>'


def citations_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", FOOTNOTE_TOKEN, _footnote_rule)
    md.inline.ruler.before("link", CITATION_TOKEN, _citation_rule)
    md.add_render_rule(FOOTNOTE_TOKEN, _render_placeholder)
    md.add_render_rule(CITATION_TOKEN, _render_placeholder)


notes_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).use(citations_plugin)


def parse_notes(text: str) -> list[Token]:
    return notes_markdown.parse(text or "", {})


@dataclass
class FootnoteSpan:
    """One footnote of the notes: the token that makes it and whether it holds prose (`^[...]`)."""

    token: Token
    explanatory: bool

    def refs(self) -> list[CitationRef]:
        if not self.explanatory:
            return list(self.token.meta["refs"])
        return [
            ref for child in self.token.children or [] if child.type == CITATION_TOKEN for ref in child.meta["refs"]
        ]


def iter_footnotes(tokens: list[Token]) -> Iterator[FootnoteSpan]:
    """The footnotes of parsed notes in reading order."""
    for block in tokens:
        if block.type != "inline":
            continue
        for child in block.children or []:
            if child.type == CITATION_TOKEN:
                yield FootnoteSpan(child, explanatory=False)
            elif child.type == FOOTNOTE_TOKEN:
                yield FootnoteSpan(child, explanatory=True)


def locate(text: str, refs: list[CitationRef]) -> list[CitationRef]:
    """The same refs with `offset` pointing at each `@key` in the text, searched in order."""
    located, cursor = [], 0
    for ref in refs:
        found = text.find("@" + ref.key, cursor)
        if found < 0:
            found = text.find("@" + ref.key)
        if found >= 0:
            cursor = found + 1 + len(ref.key)
        located.append(CitationRef(key=ref.key, locator=ref.locator, offset=max(found, 0)))
    return located


def extract_citations(text: str) -> list[CitationRef]:
    """Every citation in reading order (as the renderer sees them: none inside code spans)."""
    refs = [ref for span in iter_footnotes(parse_notes(text)) for ref in span.refs()]
    return locate(text or "", refs)
