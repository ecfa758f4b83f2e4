"""Anchoring a comment to a passage of the notes, and finding the passage again in later versions.

An anchor is the quoted text plus a little context before and after it, taken from the version commented on.
In a later version the passage is found exactly (the quote, the occurrence whose context fits best), else by
its context (the text between the old prefix and suffix: "passage changed"), else by the longest part of the
quote still present ("passage changed"), else it is "passage removed". The comment is never lost: it keeps its
quote, and its thread stays in the list. Pure functions, no database.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 40  # characters of context kept on each side
MIN_CONTEXT = 12  # context shorter than this is not trusted on its own
MAX_QUOTE = 2000

FOUND, CHANGED, REMOVED = "found", "changed", "removed"


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Located:
    state: str  # FOUND, CHANGED or REMOVED
    start: int = -1
    end: int = -1
    text: str = ""  # the passage as it reads now

    @property
    def label(self) -> str:
        return {FOUND: "", CHANGED: "passage changed", REMOVED: "passage removed"}[self.state]


def _occurrences(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _shared_tail(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _shared_head(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _context_score(text: str, start: int, end: int, anchor: Anchor) -> int:
    return _shared_tail(text[max(0, start - CONTEXT) : start], anchor.prefix) + _shared_head(
        text[end : end + CONTEXT], anchor.suffix
    )


def anchor_in(text: str, quote: str, *, prefix_hint: str = "") -> Anchor | None:
    """The anchor of `quote` in `text` (the occurrence whose preceding text best fits `prefix_hint`), or None."""
    quote = quote.strip()
    if not quote or len(quote) > MAX_QUOTE:
        return None
    starts = _occurrences(text, quote)
    if not starts:
        # Selected in the preview: the notes may differ in spacing and emphasis marks (*, _) around words.
        pattern = r"[\s*_]+".join(re.escape(word) for word in quote.split())
        starts = [match.start() for match in re.finditer(pattern, text)]
        if not starts:
            return None
        first = re.compile(pattern).match(text, starts[0])
        quote = first.group(0)
        starts = _occurrences(text, quote)
    start = max(starts, key=lambda s: (_shared_tail(text[max(0, s - CONTEXT) : s], prefix_hint[-CONTEXT:]), -s))
    end = start + len(quote)
    return Anchor(quote=quote, prefix=text[max(0, start - CONTEXT) : start], suffix=text[end : end + CONTEXT])


def locate(anchor: Anchor, text: str) -> Located:
    """Where the anchored passage is in `text` now."""
    if not anchor.quote:
        return Located(REMOVED)
    starts = _occurrences(text, anchor.quote)
    if starts:
        n = len(anchor.quote)
        start = max(starts, key=lambda s: (_context_score(text, s, s + n, anchor), -s))
        return Located(FOUND, start, start + n, anchor.quote)
    by_context = _between_context(anchor, text)
    if by_context is not None:
        return by_context
    return _longest_part(anchor, text)


def _between_context(anchor: Anchor, text: str) -> Located | None:
    """The text now between the old prefix and suffix, if both are still there and close together.

    At the start or end of a paragraph one side of the context is short (a full stop, a paragraph break): then
    the passage runs from the long side's context to that short context within the same paragraph."""
    prefix, suffix = anchor.prefix[-20:], anchor.suffix[:20]
    long_prefix, long_suffix = len(prefix.strip()) >= MIN_CONTEXT, len(suffix.strip()) >= MIN_CONTEXT
    limit = 3 * len(anchor.quote) + 200
    if long_prefix:
        for start in (s + len(prefix) for s in _occurrences(text, prefix)):
            if long_suffix:
                end = text.find(suffix, start)
            else:
                paragraph_end = text.find("\n\n", start)
                paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
                short = suffix.split("\n")[0]
                end = text.rfind(short, start, paragraph_end) if short else paragraph_end
            if end != -1 and end - start <= limit and text[start:end].strip():
                return Located(CHANGED, start, end, text[start:end])
    elif long_suffix:
        for end in _occurrences(text, suffix):
            paragraph_start = text.rfind("\n\n", 0, end)
            start = 0 if paragraph_start == -1 else paragraph_start + 2
            if end - start <= limit and text[start:end].strip():
                return Located(CHANGED, start, end, text[start:end])
    return None


def _longest_part(anchor: Anchor, text: str) -> Located:
    """The longest run of the quote still in the text, if it is most of the quote (an edit inside it)."""
    quote = anchor.quote
    match = SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(0, len(text), 0, len(quote))
    if match.size >= max(12, int(0.6 * len(quote))):
        # Widen to the quote's length around the surviving run, within the text.
        start = max(0, match.a - match.b)
        end = min(len(text), start + len(quote))
        return Located(CHANGED, start, end, text[start:end])
    return Located(REMOVED)
