"""The annex as HTML: the body an edition freezes, a standalone document, and the PDF's source."""

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .annex import AnnexData, AnnexFootnote, AnnexIndicator

ANNEX_CSS = "r2p/annex.css"

# A footnote marker as the citations renderer writes it: <sup …><a href="#fn-N">N</a></sup>
# (or the link around the <sup>).
FOOTNOTE_MARKER = re.compile(
    r'<sup[^>]*>\s*<a[^>]*href="#fn-(?P<a>\d+)"[^>]*>[^<]*</a>\s*</sup>'
    r'|<a[^>]*href="#fn-(?P<b>\d+)"[^>]*>\s*<sup[^>]*>[^<]*</sup>\s*</a>'
)
_OUTER_PARAGRAPH = re.compile(r"^\s*<p>(?P<inner>.*)</p>\s*$", re.S)


@dataclass(frozen=True)
class Row:
    indicator: AnnexIndicator
    notes_html: str


@dataclass(frozen=True)
class Area:
    name: str
    rows: list[Row]


def footnote_inline_html(footnote: AnnexFootnote) -> str:
    """A footnote's HTML made fit to sit inside a paragraph (no block elements)."""
    html = footnote.html.strip()
    match = _OUTER_PARAGRAPH.match(html)
    if match and "<p>" not in match.group("inner"):
        html = match.group("inner")
    html = re.sub(r"</p>\s*<p>", "<br>", html)
    html = re.sub(r"</?(p|ul|ol|li|blockquote|section)[^>]*>", " ", html)
    return html.strip()


def inline_footnotes(html: str, footnotes: dict[int, AnnexFootnote]) -> str:
    """Replace each footnote marker by the footnote itself, for WeasyPrint's `float: footnote`."""

    def replace(match: re.Match) -> str:
        number = int(match.group("a") or match.group("b"))
        footnote = footnotes.get(number)
        if footnote is None:
            return match.group(0)
        return f'<span class="footnote" id="fn-{number}">{footnote_inline_html(footnote)}</span>'

    return FOOTNOTE_MARKER.sub(replace, html)


def annex_context(annex: AnnexData, *, footnotes: str = "endnotes") -> dict:
    """Template context; `footnotes` is "endnotes" (numbered list at the end) or "inline" (PDF page foot)."""
    if footnotes == "inline":
        by_number = {footnote.number: footnote for footnote in annex.footnotes}

        def notes(html: str) -> str:
            return inline_footnotes(html, by_number)
    else:

        def notes(html: str) -> str:
            return html

    return {
        "annex": annex,
        "overview_html": notes(annex.overview.notes_html),
        "conclusion_html": notes(annex.conclusion.notes_html),
        "areas": [
            Area(area.name, [Row(indicator, notes(indicator.notes_html)) for indicator in area.indicators])
            for area in annex.areas
        ],
        "show_endnotes": footnotes == "endnotes",
    }


def annex_body_html(annex: AnnexData) -> str:
    """The annex body with footnotes as numbered endnotes: what an edition stores and the public page shows."""
    return render_to_string("publishing/_annex_body.html", annex_context(annex))


@cache
def annex_css() -> str:
    path = finders.find(ANNEX_CSS)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@cache
def annex_css_source_hash() -> str:
    """The CSP source expression that lets a browser apply the standalone document's embedded styles."""
    digest = hashlib.sha256(annex_css().encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def document_title(annex: AnnexData) -> str:
    title = f"{annex.country_name} — {annex.title}"
    return f"DRAFT — {title}" if annex.is_draft else f"{title} (edition {annex.edition})"


def annex_document_html(annex: AnnexData, *, body_html: str | None = None) -> str:
    """A standalone HTML file (styles embedded) for download; `body_html` is an edition's frozen body."""
    return render_to_string(
        "publishing/annex_document.html",
        {
            "annex": annex,
            "title": document_title(annex),
            "css": annex_css(),
            "body_html": body_html if body_html is not None else annex_body_html(annex),
        },
    )


def annex_pdf_html(annex: AnnexData) -> str:
    """The HTML WeasyPrint lays out: footnotes inline so they float to the foot of their page."""
    context = annex_context(annex, footnotes="inline")
    context["title"] = document_title(annex)
    return render_to_string("publishing/annex_pdf.html", context)
