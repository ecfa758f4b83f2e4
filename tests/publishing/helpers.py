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
