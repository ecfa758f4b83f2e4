"""Markdown to HTML that is safe to show: markdown-it parses, nh3 removes anything dangerous."""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "em",
    "strong",
    "i",
    "b",
    "ul",
    "ol",
    "li",
    "a",
    "br",
    "sup",
    "sub",
    "blockquote",
    "code",
    "span",
    "section",
    "hr",
    "del",
    "ins",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class", "role"},
    "sup": {"id", "class"},
    "span": {"class", "title"},
    "li": {"id", "class", "value"},
    "ol": {"start", "class"},
    "section": {"class", "id"},
    "p": {"class"},
    "del": {"class"},
    "ins": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def markdown_to_safe_html(text: str) -> str:
    return sanitize_html(_markdown.render(text))
