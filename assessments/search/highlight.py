"""Highlighted text made safe: escape first, then turn the engine's marks into <mark>."""

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
