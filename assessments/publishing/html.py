"""The annex as HTML: the body an edition freezes, a standalone document, and the PDF's source."""

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .annex import AnnexData, AnnexIndicator

ANNEX_CSS = "r2p/annex.css"
ANNEX_SCREEN_CSS = "r2p/annex-screen.css"  # narrow screens; not for the PDF


@dataclass(frozen=True)
class Row:
    indicator: AnnexIndicator
    notes_html: str
    breakable: bool = False  # PDF: a long row may break across pages; a short one moves whole


# Rows whose notes are longer than this (in characters of text, about eight lines of the PDF's notes column)
# may break across pages; shorter rows move to the next page whole (leaving at most a few lines empty).
BREAKABLE_ROW_CHARS = 700
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Area:
    name: str
    rows: list[Row]


MARKER = re.compile(r'<sup class="fn-ref" id="fnref-(\d+)"><a href="#fn-\1"[^>]*>\1</a></sup>')


def inline_footnotes(html: str, annex: AnnexData) -> str:
    """Each footnote marker replaced by its footnote's text in a span that WeasyPrint floats to the page foot."""
    by_number = {footnote.number: footnote.html for footnote in annex.footnotes}

    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        return f'<span class="footnote" id="fn-{number}">{by_number.get(number, "")}</span>'

    return MARKER.sub(replace, html)


def annex_context(annex: AnnexData, *, page_footnotes: bool = False) -> dict:
    """`page_footnotes`: footnote texts inline at their markers (for the PDF's page-foot notes)."""
    notes = (lambda html: inline_footnotes(html, annex)) if page_footnotes else (lambda html: html)
    return {
        "annex": annex,
        "overview_html": notes(annex.overview.notes_html),
        "conclusion_html": notes(annex.conclusion.notes_html),
        "areas": [
            Area(
                area.name,
                [
                    Row(
                        indicator,
                        notes(indicator.notes_html),
                        breakable=page_footnotes and len(TAG.sub("", indicator.notes_html)) > BREAKABLE_ROW_CHARS,
                    )
                    for indicator in area.indicators
                ],
            )
            for area in annex.areas
        ],
        "show_endnotes": not page_footnotes,
    }


def annex_body_html(annex: AnnexData) -> str:
    """The annex body with footnotes as numbered endnotes: what an edition stores and the public page shows."""
    return render_to_string("publishing/_annex_body.html", annex_context(annex))


@cache
def annex_css() -> str:
    """The standalone document's embedded styles: the annex's and the narrow-screen ones."""
    parts = []
    for name in (ANNEX_CSS, ANNEX_SCREEN_CSS):
        with open(finders.find(name), encoding="utf-8") as handle:
            parts.append(handle.read())
    return "\n".join(parts)


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
    """The HTML WeasyPrint lays out, footnotes inline at their markers (floated to the page foot)."""
    context = annex_context(annex, page_footnotes=True)
    context["title"] = document_title(annex)
    return render_to_string("publishing/annex_pdf.html", context)
