"""Turn a DOCX (through pandoc) or a PDF (through pdfplumber) into the annex text the parser reads.

The text is the layout of `../shared/reference/annex-2022-republic-of-korea.txt`: paragraphs, tables as
tab-separated lines (cell paragraphs as `<p>…</p>`, lists as `<ul>…<li>…</ul>`, italics as `*…*`), footnote
markers as superscript digits and the footnotes as lines that start with their number in superscript.
"""

import json
import re
import tempfile
from collections import Counter
from pathlib import Path

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(number: int) -> str:
    return str(number).translate(SUPERSCRIPT)


class UnsupportedFile(ValueError):
    pass


def file_to_text(path: str | Path, *, name: str | None = None) -> str:
    """The annex text of a .txt, .md, .docx or .pdf file."""
    suffix = Path(name or path).suffix.lower()
    if suffix in (".txt", ".md", ".text"):
        return Path(path).read_text(encoding="utf-8-sig")
    if suffix == ".docx":
        return docx_to_text(path)
    if suffix == ".pdf":
        return pdf_to_text(path)
    raise UnsupportedFile(f"{suffix or 'this file'}: give a .docx, a .pdf or the text extracted from a PDF (.txt)")


def bytes_to_text(content: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".txt", ".md", ".text"):
        return content.decode("utf-8-sig")
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(content)
        handle.flush()
        return file_to_text(handle.name, name=name)


# --- DOCX ----------------------------------------------------------------------------------------------------


class _Pandoc:
    """Walk pandoc's JSON AST, numbering footnotes in reading order."""

    def __init__(self):
        self.footnotes: list[str] = []

    def inlines(self, items: list) -> str:
        out = []
        for item in items:
            kind, content = item["t"], item.get("c")
            if kind == "Str":
                out.append(content)
            elif kind in ("Space", "SoftBreak"):
                out.append(" ")
            elif kind == "LineBreak":
                out.append(" ")
            elif kind == "Emph":
                out.append(f"*{self.inlines(content)}*")
            elif kind == "Strong":
                out.append(f"**{self.inlines(content)}**")
            elif kind in ("Underline", "SmallCaps", "Strikeout", "Span"):
                out.append(self.inlines(content[-1] if kind == "Span" else content))
            elif kind == "Superscript":
                out.append(self.inlines(content).translate(SUPERSCRIPT))
            elif kind == "Subscript":
                out.append(self.inlines(content))
            elif kind == "Quoted":
                quote = "'" if content[0]["t"] == "SingleQuote" else '"'
                out.append(f"{quote}{self.inlines(content[1])}{quote}")
            elif kind == "Link":
                text, (url, _title) = self.inlines(content[1]), content[2]
                out.append(url if text.strip("<>") == url else text)
            elif kind == "Code":
                out.append(content[1])
            elif kind == "Note":
                self.footnotes.append(" ".join(self.block_text(block) for block in content).strip())
                out.append(sup(len(self.footnotes)))
        return "".join(out)

    def block_text(self, block: dict) -> str:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            return self.inlines(content)
        if kind == "Header":
            return self.inlines(content[2])
        if kind == "BulletList" or kind == "OrderedList":
            items = content if kind == "BulletList" else content[1]
            return "\n".join("- " + " ".join(self.block_text(b) for b in item) for item in items)
        if kind == "Div":
            return "\n\n".join(self.block_text(b) for b in content[1])
        if kind == "BlockQuote":
            return "\n\n".join(self.block_text(b) for b in content)
        return ""

    def cell(self, blocks: list) -> str:
        """A table cell on one line: paragraphs as <p>, lists as <ul>…<li>…</ul>."""
        parts = []
        for block in blocks:
            if block["t"] in ("BulletList", "OrderedList"):
                items = block["c"] if block["t"] == "BulletList" else block["c"][1]
                texts = [" ".join(self.block_text(b) for b in item) for item in items]
                parts.append(("list", "<ul>" + "<li>".join(texts) + "</ul>"))
            else:
                parts.append(("para", self.block_text(block)))
        if len(parts) == 1 and parts[0][0] == "para":
            return parts[0][1]
        return "".join(text if kind == "list" else f"<p>{text}</p>" for kind, text in parts)

    def table(self, content: list) -> list[str]:
        head, bodies = content[3], content[4]
        rows = [row for row in head[1]]
        for body in bodies:
            rows.extend(body[2])
            rows.extend(body[3])
        columns = len(content[2])
        spans = [0] * columns  # rows still covered by a cell above, per column
        lines = []
        for row in rows:
            cells = iter(row[1])
            values = []
            column = 0
            while column < columns:
                if spans[column] > 0:
                    spans[column] -= 1
                    values.append("")
                    column += 1
                    continue
                cell = next(cells, None)
                if cell is None:
                    values.append("")
                    column += 1
                    continue
                rowspan, colspan = cell[2], cell[3]
                values.append(self.cell(cell[4]).replace("\t", " ").replace("\n", " "))
                for offset in range(colspan):
                    if column + offset < columns:
                        spans[column + offset] = rowspan - 1
                column += colspan
                values.extend([""] * (colspan - 1))
            lines.append(
                "\t".join(
                    value.replace("**", "") if index < columns - 1 else value for index, value in enumerate(values)
                )
            )
        return lines


def docx_to_text(path: str | Path) -> str:
    import pypandoc

    ast = json.loads(pypandoc.convert_file(str(path), "json", format="docx"))
    walker = _Pandoc()
    lines: list[str] = []
    meta = ast.get("meta", {})
    for key in ("title", "subtitle"):
        if key in meta:
            lines.append(walker.inlines(meta[key]["c"]) if meta[key]["t"] == "MetaInlines" else "")
    for block in ast["blocks"]:
        if block["t"] == "Table":
            lines.append("")
            lines.extend(walker.table(block["c"]))
            lines.append("")
        else:
            text = walker.block_text(block)
            if text:
                lines.extend(["", text.replace("**", "") if _score_like(text) else text])
    lines.append("")
    for number, text in enumerate(walker.footnotes, start=1):
        lines.extend([f"{sup(number)} {text}", ""])
    return "\n".join(lines)


def _score_like(text: str) -> bool:
    return bool(re.search(r"Score:|Difference:", text))


# --- PDF -----------------------------------------------------------------------------------------------------

FOOTER = re.compile(r"Page \d+ of \d+\s*$")
ENDNOTE = re.compile(r"^(\d{1,3})\.\s+(.*)$")


def _style(char: dict) -> str:
    font = char.get("fontname", "")
    italic = "*" if re.search(r"Italic|Oblique", font) else ""
    bold = "**" if re.search(r"Bold|Heavy|Black", font) else ""
    return bold + italic


def _marked_chars(chars: list[dict], *, styles: bool = True) -> list[dict]:
    """Characters with superscript digits as Unicode superscripts and italic/bold runs marked `*…*`/`**…**`."""
    if not chars:
        return []
    sizes = sorted(char["size"] for char in chars if char["text"].strip())
    body = sizes[len(sizes) // 2] if sizes else 10
    out: list[dict] = []
    style = ""
    last_visible = -1
    for char in chars:
        char = dict(char)
        if not char["text"].strip():
            out.append(char)
            continue
        previous = out[last_visible] if last_visible >= 0 else None
        raised = previous is not None and char["bottom"] < previous["bottom"] - char["size"] * 0.2
        if char["text"].isdigit() and char["size"] < body * 0.85 and (raised or _sup(previous)):
            char["text"] = char["text"].translate(SUPERSCRIPT)
        wanted = _style(char) if styles else ""
        if wanted != style:
            if style and last_visible >= 0:
                out[last_visible] = dict(out[last_visible], text=out[last_visible]["text"] + style[::-1])
            if wanted:
                char["text"] = wanted + char["text"]
            style = wanted
        out.append(char)
        last_visible = len(out) - 1
    if style and last_visible >= 0:
        out[last_visible] = dict(out[last_visible], text=out[last_visible]["text"] + style[::-1])
    return out


def _sup(char: dict | None) -> bool:
    return char is not None and char["text"][-1:] in "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _words_by_line(chars: list[dict]) -> list[tuple[float, float, list[tuple[float, str]]]]:
    """(top, bottom, [(x0, word)]) per visual line, top to bottom."""
    from pdfplumber.utils.text import WordExtractor

    words = WordExtractor(keep_blank_chars=False, x_tolerance=1.5).extract_words(chars)
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) < 3.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    result = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        result.append((min(w["top"] for w in row), max(w["bottom"] for w in row), [(w["x0"], w["text"]) for w in row]))
    return result


def _words_text(words: list[tuple[float, str]]) -> str:
    text = ""
    for _x0, word in words:
        if text and not (word[:1] in "⁰¹²³⁴⁵⁶⁷⁸⁹" and text[-1:] not in " "):
            text += " "
        text += word
    return re.sub(r" ([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", r"\1", text)


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        line = line.strip()
        if not text:
            text = line
        elif text.endswith(("-", "/")) or (text.count("<") > text.count(">")):
            text += line
        else:
            text += " " + line
    return text


def _paragraphs(lines: list[tuple[float, str]], step: float) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    last_top = None
    for top, text in lines:
        if not paragraphs or (last_top is not None and top - last_top > step * 1.45):
            paragraphs.append([])
        paragraphs[-1].append(text)
        last_top = top
    return paragraphs


def _cell(lines: list[tuple[float, float, str]], step: float) -> str:
    """A cell's lines as one line of markup: paragraphs as <p>, bullet items as <ul>…<li>…</ul>."""
    items: list[tuple[str, str]] = []
    left = min((x0 for _top, x0, _text in lines), default=0)
    x_of = {(top, text): x0 for top, x0, text in lines}
    for paragraph in _paragraphs([(top, text) for top, _x0, text in lines], step):
        current: list[str] = []
        kind = "p"
        for top_text in paragraph:
            line = top_text
            x0 = x_of.get(next((key for key in x_of if key[1] == line), (0, "")), left)
            if line.startswith("• "):
                if current:
                    items.append((kind, _join_lines(current)))
                current, kind = [line[2:]], "li"
            elif kind == "li" and x0 <= left + 1:
                items.append((kind, _join_lines(current)))  # back at the cell's edge: the list has ended
                current, kind = [line], "p"
            else:
                current.append(line)
        if current:
            items.append((kind, _join_lines(current)))
    if not items:
        return ""
    if len(items) == 1 and items[0][0] == "p":
        return items[0][1]
    out, in_list = "", False
    for kind, text in items:
        if kind == "li":
            out += ("<li>" if in_list else "<ul>") + text
            in_list = True
        else:
            if in_list:
                out += "</ul>"
                in_list = False
            out += f"<p>{text}</p>"
    return out + ("</ul>" if in_list else "")


_RATING_START = re.compile(r"^(Very Strong|Strong|Fair|Weak|Very Weak)\b")


def pdf_to_text(path: str | Path) -> str:
    """Read the PDF by word positions: the header row of each table gives its columns; a rating in the
    Assessment column starts a detailed-table row; numbered lines after the table are the endnotes."""
    import pdfplumber

    out: list[str] = []
    endnotes: dict[int, list[str]] = {}
    mode = "text"
    columns: list[float] = []
    row: list[list[tuple[float, str]]] | None = None
    text_lines: list[tuple[float, str]] = []
    summary: list[list[str]] = []
    offset = 0.0

    def flush_text(step):
        nonlocal text_lines
        for paragraph in _paragraphs(text_lines, step):
            joined = _join_lines(paragraph)
            if joined.strip().lower() not in ("notes", "footnotes", "endnotes"):
                out.extend(["", joined])
        text_lines = []

    def flush_row(step):
        nonlocal row
        if row is not None:
            cells = [_cell(cell, step).replace("\t", " ") for cell in row]
            cells[:3] = [cell.replace("**", "") for cell in cells[:3]]  # headings and ratings are set in bold
            out.append("\t".join(cells))
        row = None

    def flush_summary():
        for rating, *title in summary:
            out.append(f"{rating}\t{_join_lines(title)}")
        summary.clear()

    with pdfplumber.open(str(path)) as pdf:
        pages = []
        for page in pdf.pages:
            pages.append(
                [
                    (top + offset, bottom + offset, words)
                    for top, bottom, words in _words_by_line(_marked_chars(page.chars))
                    if not FOOTER.search(_words_text(words))
                ]
            )
            offset += page.height
    # The line pitch of body text: the commonest distance between consecutive lines.
    gaps = Counter(
        round(b[0] - a[0]) for lines in pages for a, b in zip(lines, lines[1:], strict=False) if 0 < b[0] - a[0] < 30
    )
    step = float(gaps.most_common(1)[0][0]) if gaps else 12.0
    summary_top = 0.0
    if True:
        for lines in pages:
            for top, _bottom, words in lines:
                text = _words_text(words).replace("**", "")  # bold only matters inside notes
                if text == "Assessment Indicator":
                    flush_text(step)
                    if mode != "summary":
                        out.extend(["", "Assessment\tIndicator"])
                    mode, columns = "summary", [words[-1][0]]
                    continue
                if text.startswith("Thematic Area Indicator Assessment Notes"):
                    flush_text(step)
                    flush_summary()
                    if mode != "detail":
                        out.extend(["", "Thematic Area\tIndicator\tAssessment\tNotes"])
                    mode = "detail"
                    columns = [x0 for x0, word in words if word.strip("*") in ("Indicator", "Assessment", "Notes")]
                    continue
                note = ENDNOTE.match(text)
                if mode in ("detail", "notes") and note and int(note.group(1)) == len(endnotes) + 1:
                    flush_row(step)
                    mode = "notes"
                    endnotes[int(note.group(1))] = [note.group(2)]
                    continue
                if mode == "notes":
                    endnotes[len(endnotes)].append(text)
                    continue
                if mode == "summary":
                    if "Score:" in text or "Difference:" in text:
                        flush_summary()
                        mode = "text"
                        out.extend(["", text])
                        continue
                    left = _words_text([w for w in words if w[0] < columns[0] - 2]).replace("**", "")
                    right = _words_text([w for w in words if w[0] >= columns[0] - 2]).replace("**", "")
                    if left or not summary or top - summary_top > step * 1.45:
                        summary.append([left, right])
                    else:
                        summary[-1].append(right)
                    summary_top = top
                    continue
                if mode == "detail":
                    cells: list[list[str]] = [[], [], [], []]
                    for x0, word in words:
                        index = sum(1 for boundary in columns if x0 >= boundary - 2)
                        cells[index].append((x0, word))
                    assessment = _words_text(cells[2]).replace("**", "")
                    if _RATING_START.match(assessment) or row is None:
                        flush_row(step)
                        row = [[], [], [], []]
                    for index, cell_words in enumerate(cells):
                        if cell_words:
                            row[index].append((top, cell_words[0][0], _words_text(cell_words)))
                    continue
                if "Score:" in text or "Difference:" in text:
                    flush_text(step)
                    out.extend(["", text])
                    continue
                text_lines.append((top, text))
        flush_summary()
        flush_row(step)
        flush_text(step)
    out.append("")
    for number, lines in sorted(endnotes.items()):
        out.extend([f"{sup(number)} {_join_lines(lines)}", ""])
    return "\n".join(out)
