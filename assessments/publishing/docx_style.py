"""The Word house style: one font family, named styles in a reference document, column widths that fit.

`data/reference.docx` is the pandoc reference document the DOCX export uses (`--reference-doc`). It is built
from pandoc's default by `reference_docx_build()` (run `python -m assessments.publishing.docx_style` after
changing the style below) and kept in the repository, so the centre can also restyle it in Word: every
style the annex uses has a name (Title, Subtitle, Publisher, Introduction, Score, Errata, Draft Banner,
Heading 1, Body Text, First Paragraph, Compact (table cells), Footnote Text).

Column widths: each column is at least as wide as its longest word at the table's font size (so Word never
breaks "Assessment" or "International" mid-word); the remaining width is shared out as the template's
percentages ask. Word widths come from Arial's advance widths (`data/arial-widths.json`, measured from
Liberation Sans, Arial's metric-compatible twin), so the result does not depend on the fonts installed.
"""

import json
import re
import subprocess
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REFERENCE_DOCX = DATA / "reference.docx"
FONT = "Arial"
BODY_PT = 10
TABLE_PT = 8.5
FOOTNOTE_PT = 8
INK = "1B2430"
ACCENT = "14324A"
# Word's default cell margins (left + right, 0.08" each) in points, plus a little slack for rounding.
CELL_MARGINS_PT = 2 * 5.4 + 1.5

# name → (based on, size pt, bold, colour, space before/after pt, keep with next, alignment)
STYLES: dict[str, tuple] = {
    "Normal": (None, BODY_PT, False, INK, (0, 6), False, None),
    "Body Text": ("Normal", BODY_PT, False, INK, (0, 6), False, None),
    "First Paragraph": ("Body Text", BODY_PT, False, INK, (0, 6), False, None),
    "Compact": ("Body Text", TABLE_PT, False, INK, (1, 1), False, None),
    "Title": ("Normal", 24, True, ACCENT, (0, 4), True, None),
    "Subtitle": ("Title", 13, True, INK, (0, 10), True, None),
    "Heading 1": ("Normal", 13, True, ACCENT, (14, 6), True, None),
    "Heading 2": ("Normal", 11, True, ACCENT, (10, 4), True, None),
    "Footnote Text": ("Normal", FOOTNOTE_PT, False, INK, (0, 2), False, None),
    "Publisher": ("Body Text", 9, False, "4A5866", (0, 2), True, None),
    "Introduction": ("Body Text", BODY_PT, False, INK, (6, 6), False, None),
    "Score": ("Body Text", 11, True, ACCENT, (2, 2), True, None),
    "Errata": ("Body Text", 9, False, INK, (2, 2), False, None),
    "Draft Banner": ("Body Text", 9, True, "8A1C10", (0, 6), False, None),
}
ITALIC_STYLES = {"Introduction"}


@cache
def _widths() -> dict[str, dict[str, float]]:
    return json.loads((DATA / "arial-widths.json").read_text(encoding="utf-8"))


def text_width_pt(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The width of `text` set in Arial at `size_pt` (unknown characters count as an 'M', to be safe)."""
    widths = _widths()["bold" if bold else "regular"]
    fallback = widths["M"]
    return sum(widths.get(char, fallback) for char in text) * size_pt


def longest_word_pt(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The widest unbreakable run of the text (Word breaks lines at spaces and after hyphens)."""
    words = [word for word in re.split(r"\s+|(?<=[-–—/])", text) if word]
    return max((text_width_pt(word, size_pt, bold=bold) for word in words), default=0.0)


def column_widths(minimums: list[float], shares: list[float], total: float) -> list[float]:
    """Widths (pt) summing to `total`: each at least its minimum, the rest in proportion to `shares`.

    Columns whose share would fall below their minimum get the minimum; the others share what remains."""
    fixed: dict[int, float] = {}
    while True:
        free = [index for index in range(len(shares)) if index not in fixed]
        room = total - sum(fixed.values())
        weight = sum(shares[index] for index in free) or 1.0
        widths = {index: room * shares[index] / weight for index in free}
        short = {index: minimums[index] for index, width in widths.items() if width < minimums[index]}
        if not short:
            return [fixed.get(index, widths.get(index, 0.0)) for index in range(len(shares))]
        fixed.update(short)


# -- building the reference document ------------------------------------------------------------------


def reference_docx_build(path: Path = REFERENCE_DOCX) -> Path:
    """Write the reference document: pandoc's default with the house styles above, fonts set explicitly."""
    import io

    import pypandoc
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    raw = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    document = Document(io.BytesIO(raw))
    styles = document.styles
    root = styles.element
    # One family everywhere: explicit fonts, no theme fonts (which would pick Calibri/Cambria).
    for fonts in root.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)
    names = {style.name for style in styles}
    for name, (based_on, size, bold, colour, (before, after), keep, _align) in STYLES.items():
        style = styles[name] if name in names else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if based_on:
            style.base_style = styles[based_on]
        style.quick_style = True
        font = style.font
        font.name = FONT
        font.size = Pt(size)
        font.bold = bold
        font.italic = name in ITALIC_STYLES
        font.color.rgb = RGBColor.from_string(colour)
        paragraph = style.paragraph_format
        paragraph.space_before, paragraph.space_after = Pt(before), Pt(after)
        paragraph.keep_with_next = keep
        if name in ("Title", "Subtitle"):
            paragraph.alignment = 0  # left, as the published annexes
    styles["Score"].paragraph_format.keep_together = True
    # Table cells: single line spacing.
    styles["Compact"].paragraph_format.line_spacing = 1.0
    # Hyperlinks in the body colour, underlined.
    if "Hyperlink" in names:
        styles["Hyperlink"].font.color.rgb = RGBColor.from_string("1F5F8B")
    # The document's default language (replaced at export time with the R2P_ANNEX_LANGUAGE setting).
    defaults = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        defaults.append(language)
    language.set(qn("w:val"), "en-AU")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.core_properties.title = "r2p annex reference document"
    document.core_properties.author = "r2p"
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(reference_docx_build())
