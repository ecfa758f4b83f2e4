"""Every format from the same AnnexData: content, structure, footnotes, determinism, DRAFT watermark."""

import datetime
import re

import pytest

from assessments.publishing.annex import annex_build
from assessments.publishing.exports import annex_export

from .helpers import (
    docx_document,
    docx_footnote_references,
    docx_footnotes,
    json_export,
    needs_pdftotext,
    pdf_pages,
    pdf_text,
)

PUBLISHED_AT = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def annex(korea_unpublished):
    """Korea 2022 as edition 1 (39 footnotes, as in the reference)."""
    return annex_build(korea_unpublished, edition=1, published_at=PUBLISHED_AT)


@pytest.fixture
def draft(korea_unpublished):
    return annex_build(korea_unpublished)


def normalise(text: str) -> str:
    return " ".join(text.split())


@needs_pdftotext
def test_pdf_has_every_title_and_footnote_and_page_numbers(annex):
    content = annex_export(annex, "pdf").content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for indicator in annex.indicators:
        assert normalise(indicator.title_sentence) in text, indicator.code
    assert [footnote.number for footnote in annex.footnotes] == list(range(1, 40))
    for footnote in annex.footnotes:  # each note's number followed by the start of its text
        first_word = footnote.text.split()[0]
        assert re.search(rf"(^|\s){footnote.number}\. {re.escape(first_word)}", text), footnote.number
    pages = pdf_pages(content)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "REPUBLIC OF KOREA UPDATED ASSESSMENT OF R2P IMPLEMENTATION 2022" in text
    assert "Republic of Korea 2022 Score: 73" in text
    assert "Republic of Korea 2019 Score: 74" in text
    assert "Difference: −1" in text


def test_docx_has_tables_and_real_footnotes(annex):
    content = annex_export(annex, "docx").content
    assert len(docx_footnotes(content)) == 39
    assert docx_footnote_references(content) == 39
    document = docx_document(content)
    summary, detail = document.tables
    assert [cell.text for cell in detail.rows[0].cells] == ["Thematic Area", "Indicator", "Assessment", "Notes"]
    assert len(detail.rows) == 1 + 36
    assert detail.rows[1].cells[0].text == "Basic Compliance"
    assert detail.rows[1].cells[1].text == "Protection of populations from atrocity crimes."
    assert detail.rows[1].cells[2].text == "Very Strong\nUnchanged"
    titles = {row.cells[1].text for row in detail.rows[1:]}
    assert titles == {indicator.title_sentence for indicator in annex.indicators}
    assert len(summary.rows) == 1 + 36
    assert document.core_properties.created == PUBLISHED_AT
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_markdown_has_tables_and_footnotes(annex):
    text = annex_export(annex, "md").content.decode()
    assert text.startswith("# REPUBLIC OF KOREA\n")
    assert "Republic of Korea 2022 Score: 73" in text
    assert re.search(r"^\[\^39\]: ", text, re.M) and not re.search(r"^\[\^40\]: ", text, re.M)
    assert "government.[^1]" in text
    flat = normalise(re.sub(r"[|+=-]{2,}|\|", " ", text))
    for indicator in annex.indicators:
        assert normalise(indicator.title) in flat, indicator.code


def test_json_export_keys_and_values(annex):
    data = json_export(annex_export(annex, "json").content)
    assert data["country"]["code"] == "KOR" and data["country"]["name"] == "Republic of Korea"
    assert (data["cycle"], data["edition"]) == (2022, 1)
    assert (data["score"], data["previous_score"], data["score_change"]) == (73, 74, -1)
    assert [len(group["indicators"]) for group in data["summary"]] == [14, 11, 8, 0, 3]
    assert len(data["indicators"]) == 36 and data["indicators"][0]["code"] == "BC-1"
    assert data["indicators"][0]["rating"] == "Very Strong" and data["indicators"][0]["trend"] == "Unchanged"
    assert [footnote["number"] for footnote in data["footnotes"]] == list(range(1, 40))
    # plain text: the house style's <URL> brackets stay, but no HTML tags
    assert not any(re.search(r"</?(a|em|i|b|strong|sup|span|p)\b", footnote["text"]) for footnote in data["footnotes"])


def test_html_document_is_standalone_with_endnotes(annex):
    html = annex_export(annex, "html").content.decode()
    assert html.startswith("<!doctype html>") and "<style>" in html and "<script" not in html
    assert html.count('<li id="fn-') == 39
    assert 'href="#fn-39"' in html
    assert "Republic of Korea 2019 Score: <strong>74</strong>" in html
    assert "Weak</th>" not in html.replace("Very Weak</th>", "")  # empty rating groups are left out


@needs_pdftotext
def test_drafts_are_watermarked_in_every_format(draft):
    assert "DRAFT" in pdf_text(annex_export(draft, "pdf").content)
    assert 'class="watermark"' in annex_export(draft, "html").content.decode()
    assert "DRAFT" in annex_export(draft, "md").content.decode()
    document = docx_document(annex_export(draft, "docx").content)
    assert "DRAFT" in document.sections[0].header.paragraphs[0].text
    assert json_export(annex_export(draft, "json").content)["edition"] is None
    assert annex_export(draft, "pdf").filename == "r2p-annex-2022-KOR-draft.pdf"


def test_unknown_format_is_refused(annex):
    with pytest.raises(ValueError):
        annex_export(annex, "rtf")
