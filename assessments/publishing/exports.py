"""Every export format, rendered from one AnnexData; an edition's exports come from its snapshot only."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache

from assessments.models import Edition

from .annex import AnnexData
from .html import annex_document_html
from .pandoc import annex_docx, annex_markdown
from .pdf import annex_pdf

# Bump when a renderer changes, so cached edition files are rendered afresh.
RENDERER_VERSION = 2
CACHE_SECONDS = 60 * 60 * 24


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    content_type: str
    render: Callable[[AnnexData, str | None], bytes]


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def annex_json(annex: AnnexData) -> bytes:
    return (json.dumps(annex.to_snapshot(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in [
        ExportFormat(
            "html",
            "HTML",
            "text/html; charset=utf-8",
            lambda annex, body: annex_document_html(annex, body_html=body).encode("utf-8"),
        ),
        ExportFormat("pdf", "PDF", "application/pdf", lambda annex, body: annex_pdf(annex)),
        ExportFormat(
            "docx",
            "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            lambda annex, body: annex_docx(annex),
        ),
        ExportFormat("json", "Data (JSON)", "application/json; charset=utf-8", lambda annex, body: annex_json(annex)),
        ExportFormat("md", "Markdown", "text/markdown; charset=utf-8", lambda annex, body: annex_markdown(annex)),
    ]
}


def annex_export(annex: AnnexData, fmt: str, *, body_html: str | None = None) -> Export:
    """`body_html`: an edition's frozen HTML body, used by the HTML format instead of rendering afresh."""
    try:
        export_format = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    return Export(
        content=export_format.render(annex, body_html),
        content_type=export_format.content_type,
        filename=f"{annex.filename_stem}.{fmt}",
    )


def edition_export(edition: Edition, fmt: str) -> Export:
    """A published edition in one format, from its frozen snapshot and HTML (cached: editions never change)."""
    key = f"r2p:edition:{edition.pk}:{edition.content_hash}:{fmt}:{RENDERER_VERSION}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    export = annex_export(AnnexData.from_snapshot(edition.snapshot), fmt, body_html=edition.html)
    cache.set(key, export, CACHE_SECONDS)
    return export
