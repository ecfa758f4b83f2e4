"""The annex as DOCX (with real Word footnotes) and Markdown (with pandoc footnotes), through pandoc.

The annex HTML for pandoc is read into pandoc's document tree once; each footnote marker (a superscript
link to #fn-N) is replaced by a Note holding footnote N, so DOCX gets footnotes.xml entries and Markdown
gets `[^N]` footnotes. python-docx then sets page size, table borders, header/footer and fixed core
properties; the zip is rewritten with fixed timestamps so the same data always gives the same bytes.
"""

import io
import json
import os
import subprocess
import zipfile
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import _Cell

from .annex import AnnexData
from .docx_style import CELL_MARGINS_PT, REFERENCE_DOCX, TABLE_PT, column_widths, longest_word_pt
from .html import document_title
from .markdown_safety import defuse

FOOTNOTES_DIV = "r2p-footnotes"
FOOTNOTE_ID_PREFIX = "r2p-fn-"
DRAFT_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # drafts carry no date of their own
PANDOC_TIMEOUT = 60
PAGE_WIDTH = Mm(210)
SIDE_MARGIN = Mm(18)


class PandocError(RuntimeError):
    pass


@cache
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def pandoc(args: list[str], data: bytes, *, epoch: datetime) -> bytes:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(epoch.timestamp()))}
    result = subprocess.run(
        [pandoc_path(), *args], input=data, capture_output=True, env=env, timeout=PANDOC_TIMEOUT, check=False
    )
    if result.returncode != 0:
        raise PandocError(result.stderr.decode("utf-8", "replace"))
    return result.stdout


def _epoch(annex: AnnexData) -> datetime:
    return annex.published_datetime or DRAFT_EPOCH


# -- the document tree ------------------------------------------------------------------------------


def _walk(node: Any, replace) -> Any:
    if isinstance(node, list):
        return [_walk(replace(child) or child, replace) for child in node]
    if isinstance(node, dict):
        return {key: _walk(value, replace) for key, value in node.items()}
    return node


def _footnote_number(node: Any) -> int | None:
    """N when the node is Superscript[Link(#fn-N)] (or Link[Superscript] around it)."""
    if not isinstance(node, dict) or node.get("t") not in ("Superscript", "Link"):
        return None
    if node["t"] == "Link":
        target = node["c"][2][0]
        inner = node["c"][1]
        if target.startswith("#fn-") and len(inner) == 1 and inner[0].get("t") == "Superscript":
            return int(target[4:]) if target[4:].isdigit() else None
        return None
    inner = node["c"]
    if len(inner) == 1 and inner[0].get("t") == "Link":
        target = inner[0]["c"][2][0]
        if target.startswith("#fn-") and target[4:].isdigit():
            return int(target[4:])
    return None


def _as_paragraphs(blocks: list[dict]) -> list[dict]:
    return [{"t": "Para", "c": block["c"]} if block["t"] == "Plain" else block for block in blocks]


def annex_tree(annex: AnnexData, *, keep_styles: bool) -> dict:
    """Pandoc's JSON document of the annex, footnotes as Notes; `keep_styles` keeps Word style divs."""
    html = render_to_string("publishing/annex_pandoc.html", {"annex": annex})
    tree = json.loads(pandoc(["-f", "html", "-t", "json"], html.encode("utf-8"), epoch=_epoch(annex)))
    notes: dict[int, list[dict]] = {}
    blocks = []
    for block in tree["blocks"]:
        if block["t"] == "Div" and block["c"][0][0] == FOOTNOTES_DIV:
            for note in block["c"][1]:
                if note["t"] == "Div" and note["c"][0][0].startswith(FOOTNOTE_ID_PREFIX):
                    notes[int(note["c"][0][0][len(FOOTNOTE_ID_PREFIX) :])] = _as_paragraphs(note["c"][1])
            continue
        blocks.append(block)

    def replace(node: Any) -> Any:
        number = _footnote_number(node)
        if number is not None and number in notes:
            return {"t": "Note", "c": notes[number]}
        if not keep_styles and isinstance(node, dict):
            return _plain_markdown(node)
        return None

    tree["blocks"] = _walk(blocks, replace)
    # No "title" in the metadata: pandoc would print it as an extra Title paragraph above the title block.
    tree["meta"] = {}
    return tree


# -- Markdown -------------------------------------------------------------------------------------

MARKDOWN = "markdown-smart-raw_html-native_divs-native_spans-fenced_divs-bracketed_spans-link_attributes"


def _plain_markdown(node: dict) -> dict | None:
    """For Markdown: the title becomes the one level-1 heading, section headings level 2, style divs go."""
    if node.get("t") == "Header" and node["c"][0] == 1:
        return {"t": "Header", "c": [2, ["", [], []], node["c"][2]]}
    if node.get("t") != "Div":
        return None
    style = dict(node["c"][0][2]).get("custom-style")
    blocks = node["c"][1]
    if style == "Title" and len(blocks) == 1 and blocks[0]["t"] in ("Para", "Plain"):
        return {"t": "Header", "c": [1, ["", [], []], blocks[0]["c"]]}
    if style == "Subtitle" and len(blocks) == 1 and blocks[0]["t"] in ("Para", "Plain"):
        return {"t": "Para", "c": [{"t": "Strong", "c": blocks[0]["c"]}]}
    return {"t": "Div", "c": [["", [], []], blocks]}


def annex_markdown(annex: AnnexData) -> bytes:
    tree = defuse(annex_tree(annex, keep_styles=False))  # text stays text when pandoc reads the export
    tree["meta"] = {}
    return pandoc(
        ["-f", "json", "-t", MARKDOWN, "--columns=120"],
        json.dumps(tree).encode("utf-8"),
        epoch=_epoch(annex),
    )


# -- DOCX -----------------------------------------------------------------------------------------


def annex_docx(annex: AnnexData) -> bytes:
    tree = annex_tree(annex, keep_styles=True)
    tree["meta"] = {"lang": {"t": "MetaString", "c": settings.R2P_ANNEX_LANGUAGE}}
    raw = pandoc(
        ["-f", "json", "-t", "docx", "--reference-doc", str(REFERENCE_DOCX), "-o", "-"],
        json.dumps(tree).encode("utf-8"),
        epoch=_epoch(annex),
    )
    return _normalise_zip(_finish_docx(raw, annex), _epoch(annex))


def _finish_docx(raw: bytes, annex: AnnexData) -> bytes:
    document = Document(io.BytesIO(raw))
    _language(document, settings.R2P_ANNEX_LANGUAGE)
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, Mm(297)
        section.left_margin = section.right_margin = SIDE_MARGIN
        section.top_margin, section.bottom_margin = Mm(18), Mm(20)
        header = section.header.paragraphs[0]
        if annex.is_draft:
            run = header.add_run("DRAFT — NOT PUBLISHED")
            run.bold = True
            run.font.color.rgb = RGBColor(0xB4, 0x23, 0x18)
            header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        edition = f"Edition {annex.edition}" if annex.edition else "Draft"
        footer.add_run(f"{annex.country_name} · {annex.title} · {edition}    Page ").font.size = Pt(8)
        _add_field(footer, "PAGE")
        footer.add_run(" of ").font.size = Pt(8)
        _add_field(footer, "NUMPAGES")
    text_width = Emu(PAGE_WIDTH - 2 * SIDE_MARGIN).pt
    compact = document.styles["Compact"]
    for table in document.tables:
        _table_borders(table)
        for paragraph in (paragraph for cell in table._cells for paragraph in cell.paragraphs):
            if paragraph.style.name in ("Body Text", "First Paragraph", "Normal"):
                paragraph.style = compact  # one size in the table, as the column widths assume
        _fit_columns(table, text_width)
        for index, row in enumerate(table.rows):
            properties = row._tr.get_or_add_trPr()
            if index == 0:
                properties.append(OxmlElement("w:tblHeader"))
    when = _epoch(annex).replace(tzinfo=None)
    core = document.core_properties
    core.title = document_title(annex)
    core.author = annex.publisher
    core.last_modified_by = annex.publisher
    core.comments = ""
    core.keywords = "R2P"
    core.subject = f"{annex.country_name} {annex.cycle}"
    core.language = settings.R2P_ANNEX_LANGUAGE
    core.created = core.modified = when
    core.last_printed = when
    core.revision = annex.edition or 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _language(document, language: str) -> None:
    """Word's proofing language: the default run properties, and any run or style that names one."""
    root = document.styles.element
    defaults = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if defaults.find(qn("w:lang")) is None:
        defaults.append(OxmlElement("w:lang"))
    for part in (root, document.element):
        for element in part.iter(qn("w:lang")):
            element.set(qn("w:val"), language)


def _cell_minimum(cell, *, header: bool) -> float:
    """The width a cell needs for its longest word (bold runs measured bold)."""
    widest = 0.0
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            widest = max(widest, longest_word_pt(run.text, TABLE_PT, bold=header or bool(run.bold)))
    return widest + CELL_MARGINS_PT


def _grid_index(tr, tc) -> int:
    index = 0
    for other in tr.tc_lst:
        if other is tc:
            return index
        index += other.grid_span
    return index


def _fit_columns(table, text_width: float) -> None:
    """Fixed column widths summing to the text width, none narrower than its longest word."""
    columns = table._tbl.tblGrid.findall(qn("w:gridCol"))
    if not columns:
        return
    shares = [float(column.get(qn("w:w")) or 1) for column in columns]
    minimums = [0.0] * len(columns)
    for row_index, row in enumerate(table.rows):
        for tc in row._tr.tc_lst:
            index = _grid_index(row._tr, tc)
            if index < len(minimums) and tc.grid_span == 1:
                minimums[index] = max(minimums[index], _cell_minimum(_Cell(tc, table), header=row_index == 0))
    widths = column_widths(minimums, shares, text_width)
    for column, width in zip(columns, widths, strict=True):
        column.set(qn("w:w"), str(round(width * 20)))
    properties = table._tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout"):
        for existing in properties.findall(qn(tag)):
            properties.remove(existing)
    table_width = OxmlElement("w:tblW")
    table_width.set(qn("w:w"), str(round(text_width * 20)))
    table_width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(table_width)
    properties.append(layout)
    for row in table.rows:
        for tc in row._tr.tc_lst:
            index = _grid_index(row._tr, tc)
            tc.width = Pt(sum(widths[index : index + tc.grid_span]))


def _add_field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(8)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    value = OxmlElement("w:t")
    value.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, value, end):
        run._r.append(element)


def _table_borders(table) -> None:
    properties = table._tbl.tblPr
    for existing in properties.findall(qn("w:tblBorders")):
        properties.remove(existing)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "9AA7B4")
        borders.append(element)
    properties.append(borders)


def _normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite the package with one fixed timestamp so identical content gives identical bytes."""
    stamp = when.astimezone(UTC).timetuple()[:6]
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
