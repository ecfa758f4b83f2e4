"""The annex as HTML: the body an edition freezes, a standalone document, and the PDF's source."""

import base64
import hashlib
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .annex import AnnexData, AnnexIndicator

ANNEX_CSS = "r2p/annex.css"


@dataclass(frozen=True)
class Row:
    indicator: AnnexIndicator
    notes_html: str


@dataclass(frozen=True)
class Area:
    name: str
    rows: list[Row]


def annex_context(annex: AnnexData) -> dict:
    return {
        "annex": annex,
        "overview_html": annex.overview.notes_html,
        "conclusion_html": annex.conclusion.notes_html,
        "areas": [
            Area(area.name, [Row(indicator, indicator.notes_html) for indicator in area.indicators])
            for area in annex.areas
        ],
        "show_endnotes": True,
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
    """The HTML WeasyPrint lays out. Footnotes are numbered notes at the end, their markers linked to them.

    (Footnotes at the page foot, WeasyPrint's `float: footnote`, were tried and dropped: called from table
    cells they either drift pages away from their call or, with `footnote-policy: line`, leave pages half
    empty; see the publishing notes.)
    """
    context = annex_context(annex)
    context["title"] = document_title(annex)
    return render_to_string("publishing/annex_pdf.html", context)
