"""Reading exported files back: PDF text through pdftotext, DOCX through python-docx and its XML."""

import io
import json
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")


def pdf_text(content: bytes) -> str:
    """The PDF's text in drawing order, whitespace collapsed (titles wrap inside table cells, also after a
    hyphen, as in "gender-/based")."""
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True)
    return re.sub(r"(?<=\w)-\s+(?=\w)", "-", " ".join(result.stdout.decode("utf-8").split()))


def pdf_pages(content: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", result.stdout.decode()).group(1))


def docx_footnotes(content: bytes) -> list[str]:
    """Text of each real Word footnote (separators left out)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        root = etree.fromstring(package.read("word/footnotes.xml"))
    return [
        "".join(node.text or "" for node in footnote.iter(f"{W}t"))
        for footnote in root.iter(f"{W}footnote")
        if footnote.get(f"{W}type") is None
    ]


def docx_footnote_references(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return package.read("word/document.xml").decode().count("<w:footnoteReference ")


def docx_document(content: bytes):
    return Document(io.BytesIO(content))


def json_export(content: bytes) -> dict:
    return json.loads(content.decode("utf-8"))


def pdf_page_texts(content: bytes) -> list[str]:
    """Each page's text (pdftotext separates pages with form feeds), whitespace collapsed."""
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True)
    pages = result.stdout.decode("utf-8").split("\f")
    return [re.sub(r"(?<=\w)-\s+(?=\w)", "-", " ".join(page.split())) for page in pages if page.strip()]


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def layout_footnote_calls(document) -> dict[int, int]:
    """Footnote number → index of the page where WeasyPrint drew its call (from the layout tree)."""
    calls: dict[int, int] = {}
    for index, page in enumerate(document.pages):
        root = page._page_box.children[0]  # the main flow (the footnote area is a sibling)
        for box in _boxes(root):
            element = getattr(box, "element", None)
            if element is not None and (element.get("id") or "").startswith("fn-"):
                calls.setdefault(int(element.get("id")[3:]), index)
    return calls


def layout_page_fullness(document) -> list[float]:
    """Share of each page's content height taken by the main flow plus the footnote area."""
    fullness = []
    for page in document.pages:
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        root = page_box.children[0]
        bottom = max(
            (box.position_y + box.margin_height() for box in _boxes(root) if type(box).__name__ == "LineBox"),
            default=top,
        )
        notes = sum(child.margin_height() for child in page_box.children if type(child).__name__ == "FootnoteAreaBox")
        fullness.append(min(1.0, (bottom - top + notes) / height))
    return fullness
