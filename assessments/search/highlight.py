"""Highlighted text made safe: escape first, then turn the engine's marks into <mark>."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .backends import MARK_END, MARK_START


def marked_html(text: str) -> SafeString:
    escaped = escape(text or "")
    opened = escaped.count(MARK_START)
    closed = escaped.count(MARK_END)
    escaped = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if opened > closed:  # a snippet cut inside a match
        escaped += "</mark>" * (opened - closed)
    return mark_safe(escaped)  # noqa: S308 — escaped above; only <mark> added


CITATION = re.compile(r"\[@([^\[\]]*)\]")
CUT_CITATION = re.compile(r"\^?\[@[^\[\]]*$")  # a snippet that ends inside a citation


def notes_readable(text: str) -> str:
    """Notes as a reader sees them, not as typed: `[@key, p. 3; @other]` becomes `(key, p. 3; other)` and an
    inline footnote `^[…]` becomes `(…)`, so a search snippet never shows citation markup."""
    text = CITATION.sub(lambda match: "(" + match[1].replace("@", "").strip() + ")", text or "")
    text = CUT_CITATION.sub("", text.rstrip("…")) + ("…" if text.endswith("…") else "")
    out, open_notes = [], 0
    index = 0
    while index < len(text):
        if text.startswith("^[", index):
            out.append("(")
            open_notes += 1
            index += 2
            continue
        if text[index] == "]" and open_notes:
            out.append(")")
            open_notes -= 1
        else:
            out.append(text[index])
        index += 1
    return "".join(out)
