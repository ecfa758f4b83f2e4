"""The Korea 2022 PDF laid out as a publications editor expects: footnotes on their marker's page, no page
left half empty, a running footer, bookmarks per section and thematic area, metadata, PDF/UA tagging."""

import datetime
import re
import subprocess

import pytest
from weasyprint import HTML

from assessments.publishing.annex import annex_build
from assessments.publishing.html import annex_pdf_html
from assessments.publishing.pdf import PDF_VARIANT, _stylesheets, annex_pdf

from .helpers import layout_footnote_calls, layout_page_fullness, needs_pdftotext, pdf_page_texts

PUBLISHED_AT = datetime.datetime(2022, 9, 1, tzinfo=datetime.UTC)
SECTIONS = ["Republic of Korea", "Overview", "Summary", "Score", "Conclusion", "Detailed assessment"]
AREAS = [
    "Basic Compliance",
    "Policy Mechanisms",
    "International Human Rights Obligations",
    "Domestic Implementation",
    "Bilateral and Multilateral Relations",
    "United Nations, Prevention, Peacekeeping and Assistance",
]
_rendered: dict = {}


@pytest.fixture
def korea_pdf(korea_unpublished):
    """(annex, WeasyPrint document, PDF bytes) for Korea 2022 edition 1, laid out once per test session."""
    annex = annex_build(korea_unpublished, edition=1, published_at=PUBLISHED_AT)
    if "korea" not in _rendered:
        document = HTML(string=annex_pdf_html(annex)).render(stylesheets=list(_stylesheets()))
        _rendered["korea"] = (document, annex_pdf(annex))
    return (annex, *_rendered["korea"])


@needs_pdftotext
def test_every_footnote_is_on_the_page_of_its_marker(korea_pdf):
    annex, document, content = korea_pdf
    pages = pdf_page_texts(content)
    calls = layout_footnote_calls(document)
    assert sorted(calls) == list(range(1, 40))
    for footnote in annex.footnotes:
        page = pages[calls[footnote.number]]
        opening = " ".join(footnote.text.split()[:4])
        assert f"{footnote.number}. {opening}" in page, (footnote.number, calls[footnote.number] + 1)


@needs_pdftotext
def test_no_endnotes_section_in_the_pdf(korea_pdf):
    _, _, content = korea_pdf
    assert 'class="annex-footnotes"' not in annex_pdf_html(korea_pdf[0])
    assert len(pdf_page_texts(content)) == len(korea_pdf[1].pages)


def test_no_page_but_the_last_is_less_than_half_full(korea_pdf):
    _, document, _ = korea_pdf
    fullness = layout_page_fullness(document)
    assert all(share >= 0.5 for share in fullness[:-1]), [round(share, 2) for share in fullness]


@needs_pdftotext
def test_running_footer_names_country_cycle_edition_and_page(korea_pdf):
    _, document, content = korea_pdf
    pages = pdf_page_texts(content)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        if number > 1:
            assert "Republic of Korea · Updated Assessment of R2P Implementation 2022 · Edition 1" in text


def test_bookmarks_are_the_sections_and_thematic_areas_without_duplicates(korea_pdf):
    _, document, _ = korea_pdf
    tree = document.make_bookmark_tree()
    assert [label for label, *_ in tree] == SECTIONS
    detail = tree[-1]
    assert [label for label, *_ in detail[2]] == AREAS


def test_pdf_is_tagged_with_metadata(korea_pdf):
    _, _, content = korea_pdf
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert "Title:           Republic of Korea — Updated Assessment of R2P Implementation 2022 (edition 1)" in info
    assert "Author:          Asia-Pacific Centre for the Responsibility to Protect" in info
    assert "Subject:         Republic of Korea: Updated Assessment of R2P Implementation 2022" in info
    document = korea_pdf[1]
    assert b"/Lang (en-AU)" in document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=True)


def test_document_language_is_a_setting(korea_pdf, settings):
    settings.R2P_ANNEX_LANGUAGE = "en-GB"
    assert '<html lang="en-GB">' in annex_pdf_html(korea_pdf[0])


def test_pdf_structure_tree_has_headings_tables_and_links(korea_pdf):
    _, _, content = korea_pdf
    structure = subprocess.run(["pdfinfo", "-struct", "-"], input=content, capture_output=True, check=True)
    tags = [line.split()[0] for line in structure.stdout.decode().splitlines() if line.strip()]
    assert tags.count("H1") == 1
    assert tags.count("Table") >= 2 and "TH" in tags and "TD:" in tags
    assert "Link" in tags
