"""The demo's published Korea 2022 edition, with the real citations renderer: the issue's acceptance checks."""

import re

import pytest

from assessments.models import Edition
from assessments.publishing.exports import edition_export

from .helpers import docx_document, docx_footnote_references, docx_footnotes, json_export, needs_pdftotext, pdf_text

# Plain-text footnotes keep the house style's <URL> brackets, but carry no HTML tags.
HTML_TAG = re.compile(r"</?(a|em|i|b|strong|sup|span|p)\b")


@pytest.fixture
def edition(korea_2022) -> Edition:
    return Edition.objects.get(country_assessment=korea_2022, number=1)


def test_json_export_of_the_korea_edition(edition):
    data = json_export(edition_export(edition, "json").content)
    assert (data["score"], data["previous_score"], data["score_change"]) == (73, 74, -1)
    assert [len(group["indicators"]) for group in data["summary"]] == [14, 11, 8, 0, 3]
    assert [group["rating"] for group in data["summary"]] == ["Very Strong", "Strong", "Fair", "Weak", "Very Weak"]
    assert len(data["indicators"]) == 36
    assert data["indicators"][0]["code"] == "BC-1" and data["indicators"][-1]["code"] == "UN-7"


def test_json_export_has_39_footnotes(edition):
    data = json_export(edition_export(edition, "json").content)
    assert [footnote["number"] for footnote in data["footnotes"]] == list(range(1, 40))
    assert all(footnote["text"] and not HTML_TAG.search(footnote["text"]) for footnote in data["footnotes"])


@needs_pdftotext
def test_pdf_contains_every_indicator_title(edition):
    text = pdf_text(edition_export(edition, "pdf").content)
    for indicator in edition.snapshot["indicators"]:
        title = indicator["title"] if indicator["title"].endswith(".") else indicator["title"] + "."
        assert " ".join(title.split()) in text, indicator["code"]


@needs_pdftotext
def test_pdf_contains_every_footnote_number(edition):
    text = pdf_text(edition_export(edition, "pdf").content)
    for number in range(1, 40):
        assert re.search(rf"(^|\s){number}\. \S", text), number


def test_docx_contains_the_detailed_table(edition):
    document = docx_document(edition_export(edition, "docx").content)
    detail = document.tables[-1]
    assert [cell.text for cell in detail.rows[0].cells] == ["Thematic Area", "Indicator", "Assessment", "Notes"]
    assert len(detail.rows) == 37
    assert detail.rows[-1].cells[2].text == "Very Strong\nUnchanged"


def test_docx_has_39_real_footnotes(edition):
    content = edition_export(edition, "docx").content
    assert len(docx_footnotes(content)) == 39
    assert docx_footnote_references(content) == 39
