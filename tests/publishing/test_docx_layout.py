"""The Korea 2022 Word file as a publications editor expects it: one title block, columns that fit their
longest word, the score block kept together, one font family from the reference document, the document
language from settings, real footnotes; and (slow) the file as LibreOffice lays it out."""

import datetime
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from assessments.publishing.annex import annex_build
from assessments.publishing.docx_style import CELL_MARGINS_PT, FONT, REFERENCE_DOCX, TABLE_PT
from assessments.publishing.pandoc import annex_docx

from .helpers import docx_footnote_references, docx_footnotes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LIBERATION = Path("/usr/share/fonts/truetype/liberation")
PUBLISHED_AT = datetime.datetime(2022, 9, 1, tzinfo=datetime.UTC)
_rendered: dict = {}


@pytest.fixture
def korea_docx(korea_unpublished, settings) -> bytes:
    settings.R2P_ANNEX_LANGUAGE = "en-AU"
    if "korea" not in _rendered:
        _rendered["korea"] = annex_docx(annex_build(korea_unpublished, edition=1, published_at=PUBLISHED_AT))
    return _rendered["korea"]


def part(content: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return etree.fromstring(package.read(name))


def paragraph_styles(document) -> list[str]:
    return [style.get(f"{{{W}}}val") for style in document.iterfind(".//w:pPr/w:pStyle", NS)]


def test_one_title_paragraph(korea_docx):
    styles = paragraph_styles(part(korea_docx, "word/document.xml"))
    assert styles.count("Title") == 1 and styles.count("Subtitle") == 1
    body = part(korea_docx, "word/document.xml").find("w:body", NS)
    first = body.find("w:p", NS)
    assert first.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Title"
    assert "".join(first.itertext()) == "REPUBLIC OF KOREA"


def _advance(font, text: str) -> float:
    cmap, hmtx, units = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return sum(hmtx[cmap.get(ord(char), cmap[ord("M")])][0] for char in text) / units


@pytest.mark.skipif(not (LIBERATION / "LiberationSans-Bold.ttf").exists(), reason="needs fonts-liberation")
def test_no_column_is_narrower_than_its_longest_word(korea_docx):
    """Widths from the XML (twentieths of a point) against the words' widths in Liberation Sans (Arial's
    metrics) at the table's font size, bold where the run is bold."""
    from fontTools.ttLib import TTFont

    fonts = {
        False: TTFont(LIBERATION / "LiberationSans-Regular.ttf"),
        True: TTFont(LIBERATION / "LiberationSans-Bold.ttf"),
    }
    document = part(korea_docx, "word/document.xml")
    tables = document.findall(".//w:tbl", NS)
    assert len(tables) == 2
    for table in tables:
        assert table.find("w:tblPr/w:tblLayout", NS).get(f"{{{W}}}type") == "fixed"
        grid = [int(column.get(f"{{{W}}}w")) / 20 for column in table.findall("w:tblGrid/w:gridCol", NS)]
        for row_index, row in enumerate(table.findall("w:tr", NS)):
            for cell in row.findall("w:tc", NS):
                width = int(cell.find("w:tcPr/w:tcW", NS).get(f"{{{W}}}w")) / 20
                assert width in grid
                for run in cell.iterfind(".//w:r", NS):
                    bold = row_index == 0 or run.find("w:rPr/w:b", NS) is not None
                    text = "".join(node.text or "" for node in run.findall("w:t", NS))
                    for word in re.split(r"\s+|(?<=[-–—/])", text):
                        needed = _advance(fonts[bold], word) * TABLE_PT
                        assert needed + 2 * 5.4 <= width, (word, needed, width)
    assert CELL_MARGINS_PT >= 2 * 5.4


def test_the_score_block_is_kept_together(korea_docx):
    styles = part(korea_docx, "word/styles.xml")
    score = styles.find(".//w:style[@w:styleId='Score']", NS)
    assert score.find("w:pPr/w:keepNext", NS) is not None and score.find("w:pPr/w:keepLines", NS) is not None
    assert paragraph_styles(part(korea_docx, "word/document.xml")).count("Score") == 3


def test_one_font_family_from_the_reference_document(korea_docx):
    styles = part(korea_docx, "word/styles.xml")
    families = {
        value
        for fonts in styles.iter(f"{{{W}}}rFonts")
        for name, value in fonts.attrib.items()
        if name.endswith(("}ascii", "}hAnsi"))
    }
    assert families == {FONT}
    assert not [
        name for fonts in styles.iter(f"{{{W}}}rFonts") for name in fonts.attrib if "Theme" in name or "theme" in name
    ]
    names = {style.find("w:name", NS).get(f"{{{W}}}val").lower() for style in styles.findall("w:style", NS)}
    wanted = {"Title", "Subtitle", "Publisher", "Introduction", "Score", "Heading 1", "Compact", "Footnote Text"}
    assert {name.lower() for name in wanted} <= names
    assert REFERENCE_DOCX.exists()


def test_document_language_comes_from_settings(korea_unpublished, korea_docx, settings):
    languages = {lang.get(f"{{{W}}}val") for lang in part(korea_docx, "word/styles.xml").iter(f"{{{W}}}lang")}
    assert languages == {"en-AU"}
    settings.R2P_ANNEX_LANGUAGE = "en-GB"
    other = annex_docx(annex_build(korea_unpublished, edition=1, published_at=PUBLISHED_AT))
    assert {lang.get(f"{{{W}}}val") for lang in part(other, "word/styles.xml").iter(f"{{{W}}}lang")} == {"en-GB"}
    assert b"<dc:language>en-GB</dc:language>" in zipfile.ZipFile(io.BytesIO(other)).read("docProps/core.xml")


def test_39_real_footnotes(korea_docx):
    assert len(docx_footnotes(korea_docx)) == 39
    assert docx_footnote_references(korea_docx) == 39


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (make docx-check-packages)")
def test_libreoffice_lays_out_the_word_file(korea_docx, tmp_path):
    source = tmp_path / "korea.docx"
    source.write_bytes(korea_docx)
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    pdf = (tmp_path / "korea.pdf").read_bytes()
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 5 <= pages <= 10
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    # No word broken across lines inside the narrow columns.
    for broken in ("Assessme\n", "Unchange\n", "Internationa\n", "Implementatio\n"):
        assert broken not in text
    assert text.count("REPUBLIC OF KOREA") == 3  # the title and the two section headings, no extra Title
    first = text.split("\f")[0]
    assert (
        f"Page 1 of {pages}" in first and "Republic of Korea · Updated Assessment of R2P Implementation 2022" in first
    )
    score = next(page for page in text.split("\f") if "2022 Score: 73" in page)
    assert "2019 Score: 74" in score and "Difference:" in score
