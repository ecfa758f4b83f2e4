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

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .annex import AnnexData
from .html import document_title
from .markdown_safety import defuse

FOOTNOTES_DIV = "r2p-footnotes"
FOOTNOTE_ID_PREFIX = "r2p-fn-"
DRAFT_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # drafts carry no date of their own
PANDOC_TIMEOUT = 60


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
    tree["meta"] = {"title": {"t": "MetaInlines", "c": [{"t": "Str", "c": document_title(annex)}]}}
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
    raw = pandoc(["-f", "json", "-t", "docx", "-o", "-"], json.dumps(tree).encode("utf-8"), epoch=_epoch(annex))
    return _normalise_zip(_finish_docx(raw, annex), _epoch(annex))


def _finish_docx(raw: bytes, annex: AnnexData) -> bytes:
    document = Document(io.BytesIO(raw))
    _style(document)
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(18), Mm(20)
        header = section.header.paragraphs[0]
        if annex.is_draft:
            run = header.add_run("DRAFT — NOT PUBLISHED")
            run.bold = True
            run.font.color.rgb = RGBColor(0xB4, 0x23, 0x18)
            header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run(f"{annex.country_name} — {annex.title}    Page ")
        _add_field(footer, "PAGE")
        footer.add_run(" of ")
        _add_field(footer, "NUMPAGES")
    for table in document.tables:
        _table_borders(table)
        for index, row in enumerate(table.rows):
            properties = row._tr.get_or_add_trPr()
            if index == 0:
                properties.append(OxmlElement("w:tblHeader"))
            properties.append(OxmlElement("w:cantSplit"))
    when = _epoch(annex).replace(tzinfo=None)
    core = document.core_properties
    core.title = document_title(annex)
    core.author = annex.publisher
    core.last_modified_by = annex.publisher
    core.comments = ""
    core.keywords = "R2P"
    core.subject = f"{annex.country_name} {annex.cycle}"
    core.created = core.modified = when
    core.last_printed = when
    core.revision = annex.edition or 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _style(document) -> None:
    styles = document.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact", "Footnote Text"):
        if name in [style.name for style in styles]:
            style = styles[name]
            style.font.name = "Arial"
            style.font.size = Pt(8 if name == "Footnote Text" else 10)
    for name, size in (("Title", 24), ("Subtitle", 13), ("Heading 1", 13)):
        if name in [style.name for style in styles]:
            style = styles[name]
            style.font.name = "Arial"
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.color.rgb = RGBColor(0x14, 0x32, 0x4A)


def _add_field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
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
