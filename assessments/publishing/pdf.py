"""The annex as PDF through WeasyPrint: A4, running footer, footnotes at the foot of each page, bookmarks,
document metadata, and PDF/UA-1 tagging (a structure tree, the language, the title shown in the window)."""

from functools import cache

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML

from .annex import AnnexData
from .html import ANNEX_CSS, annex_pdf_html

PDF_CSS = "r2p/annex-pdf.css"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF: pdfinfo says "Tagged: yes"; the structure tree follows the HTML


@cache
def _stylesheets() -> tuple[CSS, ...]:
    return tuple(CSS(filename=finders.find(name)) for name in (ANNEX_CSS, PDF_CSS))


def annex_pdf(annex: AnnexData) -> bytes:
    """The same bytes for the same data: dates come from the edition, never from the clock."""
    document = HTML(string=annex_pdf_html(annex), base_url=None).render(stylesheets=list(_stylesheets()))
    return document.write_pdf(pdf_variant=PDF_VARIANT)
