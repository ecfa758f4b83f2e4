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
from typing import NamedTuple

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
DETAIL_HEADER = re.compile(r"^Thematic( Areas?)? Indicators? Assessment Notes\b")
SENTENCE_END = re.compile(r"[.!?:][\"'’”)\]]*[⁰¹²³⁴⁵⁶⁷⁸⁹]*\**$")
NOTE_SIZE_RATIO = 0.92  # a footnote is set smaller than the text above it (7pt under 8pt table text, 9pt prose)
PARAGRAPH_GAP = 1.25  # a gap above this many line pitches separates paragraphs


class _Line(NamedTuple):
    """A visual line of a page: its words as (x0, text, x1) and the commonest character size."""

    top: float
    bottom: float
    words: list[tuple[float, str, float]]
    size: float


class _Run(NamedTuple):
    """A line (or a cell's part of one) in the reading flow, with what paragraph joining needs."""

    top: float
    page: int
    text: str
    x0: float
    x1: float
    first: float  # width of the first word
    size: float


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
        # a digit after a superscript digit on the same line (not a footnote's number after the call above it)
        follows = _sup(previous) and abs(char["bottom"] - previous["bottom"]) < 1 and char["x0"] >= previous["x0"]
        if char["text"].isdigit() and char["size"] < body * 0.85 and (raised or follows):
            char["text"] = char["text"].translate(SUPERSCRIPT)
            char["superscript"] = True
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


def _words_by_line(chars: list[dict]) -> list[_Line]:
    """The visual lines, top to bottom."""
    from pdfplumber.utils.text import WordExtractor

    words = WordExtractor(keep_blank_chars=False, x_tolerance=1.5).extract_words(chars, return_chars=True)
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) < 3.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    result = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        sizes = Counter(
            round(char["size"], 1)
            for word in row
            for char in word.get("chars", [])
            if char["text"].strip() and not char.get("superscript")
        )
        result.append(
            _Line(
                top=min(w["top"] for w in row),
                bottom=max(w["bottom"] for w in row),
                words=[(w["x0"], w["text"], w["x1"]) for w in row],
                size=sizes.most_common(1)[0][0] if sizes else 0.0,
            )
        )
    return result


def _words_text(words: list[tuple[float, str, float]]) -> str:
    text = ""
    for word in words:
        word = word[1]
        if text and not (word[:1] in "⁰¹²³⁴⁵⁶⁷⁸⁹" and text[-1:] not in " "):
            text += " "
        text += word
    return re.sub(r" ([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", r"\1", text)


def _run(line: _Line, page: int, words: list[tuple[float, str, float]] | None = None) -> _Run:
    words = line.words if words is None else words
    return _Run(
        top=line.top,
        page=page,
        text=_words_text(words),
        x0=words[0][0],
        x1=words[-1][2],
        first=words[0][2] - words[0][0],
        size=line.size,
    )


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


def _continues(previous: _Run, run: _Run, right: float) -> bool:
    """Whether a line on a new page goes on with the paragraph the last line of the page was in: the gap says
    nothing there (the margin before a paragraph is dropped at the top of a page), so read the text: it goes on
    after a line that ends no sentence, into a line that starts lowercase, or when the next line's first word
    would not have fitted on the last line (so the line was full)."""
    start = re.sub(r"^[*\s\"'‘“(]+", "", run.text)[:1]
    if start.islower() or run.text.startswith("• "):
        return True
    if not SENTENCE_END.search(previous.text.rstrip()):
        return True
    return previous.x1 + run.size * 0.3 + run.first > right + 0.5


def _paragraphs(runs: list[_Run], pitches: dict[float, float]) -> list[list[_Run]]:
    """The runs grouped into paragraphs: a gap of more than a line pitch on a page, or a page break where the
    text does not go on, starts a new one."""
    paragraphs: list[list[_Run]] = []
    right = max((run.x1 for run in runs), default=0.0)
    for run in runs:
        if paragraphs:
            previous = paragraphs[-1][-1]
            if run.page != previous.page:
                new = not _continues(previous, run, right)
            else:
                pitch = pitches.get(run.size) or pitches.get(0.0, 12.0)
                new = run.top - previous.top > pitch * PARAGRAPH_GAP
        if not paragraphs or new:
            paragraphs.append([])
        paragraphs[-1].append(run)
    return paragraphs


def _cell(runs: list[_Run], pitches: dict[float, float]) -> str:
    """A cell's lines as one line of markup: paragraphs as <p>, bullet items as <ul>…<li>…</ul>."""
    items: list[tuple[str, str]] = []
    left = min((run.x0 for run in runs), default=0)
    for paragraph in _paragraphs(runs, pitches):
        current: list[str] = []
        kind = "p"
        for run in paragraph:
            line = run.text
            if line.startswith("• "):
                if current:
                    items.append((kind, _join_lines(current)))
                current, kind = [line[2:]], "li"
            elif kind == "li" and run.x0 <= left + 1:
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


def _line_pitches(pages: list[list[_Line]]) -> dict[float, float]:
    """The line pitch of each character size (the commonest distance between consecutive lines of that size
    on a page, to a tenth of a point); key 0.0 holds the commonest of all."""
    gaps: dict[float, Counter] = {}
    for lines in pages:
        for a, b in zip(lines, lines[1:], strict=False):
            gap = b.top - a.top
            if 0 < gap < 30:
                gaps.setdefault(0.0, Counter())[round(gap, 1)] += 1
                if a.size == b.size:
                    gaps.setdefault(b.size, Counter())[round(gap, 1)] += 1
    pitches = {size: counter.most_common(1)[0][0] for size, counter in gaps.items()}
    pitches.setdefault(0.0, 12.0)
    return pitches


def _foot_notes(lines: list[_Line], notes: dict[int, list[str]], note_size: float | None) -> tuple[int, float | None]:
    """Find the footnotes printed at the foot of a page (WeasyPrint's `float: footnote`) and add them to `notes`.

    The foot area is the run of lines at the bottom of the page set smaller than the line above it; a note
    starts with its number ("12. ") and lines before the page's first number go on with the last note of the
    previous page. Returns where the foot area starts (len(lines) if none) and the size footnotes are set in."""
    if not lines:
        return 0, note_size
    size = lines[-1].size
    start = len(lines)
    while start > 0 and abs(lines[start - 1].size - size) <= 0.3:
        start -= 1
    if start > 0 and size > lines[start - 1].size * NOTE_SIZE_RATIO:
        return len(lines), note_size  # not smaller than the text above it: no foot area
    if start == 0 and (note_size is None or abs(size - note_size) > 0.3):
        return len(lines), note_size  # a page of small text only, and no footnotes seen in that size
    texts = [_words_text(line.words).replace("**", "") for line in lines[start:]]
    numbers = [int(m.group(1)) if (m := ENDNOTE.match(text)) else None for text in texts]
    last = max(notes, default=0)
    first = next((index for index, number in enumerate(numbers) if number == last + 1), None)
    if first is None and numbers[0] is not None and numbers[0] > last:
        first = 0  # the foot area starts with a note: take its number even if one went missing before
    if first is None:
        if not notes or note_size is None or abs(size - note_size) > 0.3:
            return len(lines), note_size
        first = len(texts)
    elif first > 0 and (not notes or note_size is None or abs(size - note_size) > 0.3):
        start, texts, numbers, first = start + first, texts[first:], numbers[first:], 0  # small body text above
    for index, (text, number) in enumerate(zip(texts, numbers, strict=True)):
        if index == first or (index > first and number == last + 1):
            last = number or last
            notes[last] = [ENDNOTE.match(text).group(2)]
        elif last:
            notes[last].append(text)
    return start, size


_RATING_START = re.compile(r"^(Very Strong|Strong|Fair|Weak|Very Weak)\b")


def pdf_to_text(path: str | Path) -> str:
    """Read the PDF by word positions: the header row of each table gives its columns; a rating in the
    Assessment column starts a detailed-table row. Footnotes are read from the foot of each page (smaller
    type, each starting with its number, a note possibly going on at the next page's foot) or, in older
    exports, as numbered endnotes after the detailed table. Paragraphs and table rows go on across page
    breaks."""
    import pdfplumber

    out: list[str] = []
    notes: dict[int, list[str]] = {}
    note_size: float | None = None
    pages: list[list[_Line]] = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            lines = [
                line for line in _words_by_line(_marked_chars(page.chars)) if not FOOTER.search(_words_text(line.words))
            ]
            foot, note_size = _foot_notes(lines, notes, note_size)
            pages.append(lines[:foot])
    pitches = _line_pitches(pages)

    mode = "text"
    columns: list[float] = []
    row: list[list[_Run]] | None = None
    text_runs: list[_Run] = []
    summary: list[list[str]] = []
    summary_last: _Run | None = None
    wrapped_header = False

    def flush_text():
        nonlocal text_runs
        for paragraph in _paragraphs(text_runs, pitches):
            joined = _join_lines([run.text for run in paragraph])
            if joined.strip().lower() not in ("notes", "footnotes", "endnotes"):
                out.extend(["", joined])
        text_runs = []

    def flush_row():
        nonlocal row
        if row is not None:
            cells = [_cell(cell, pitches).replace("\t", " ") for cell in row]
            cells[:3] = [cell.replace("**", "") for cell in cells[:3]]  # headings and ratings are set in bold
            out.append("\t".join(cells))
        row = None

    def flush_summary():
        for rating, *title in summary:
            out.append(f"{rating}\t{_join_lines(title)}")
        summary.clear()

    for page_index, lines in enumerate(pages):
        for line in lines:
            words = line.words
            text = _words_text(words).replace("**", "")  # bold only matters inside notes
            if text == "Assessment Indicator":
                flush_text()
                if mode != "summary":
                    out.extend(["", "Assessment\tIndicator"])
                mode, columns = "summary", [words[-1][0]]
                continue
            if mode == "detail" and wrapped_header and text in ("Area", "Areas"):
                wrapped_header = False  # "Thematic Area" set on two lines in a narrow first column
                continue
            wrapped_header = False
            header = DETAIL_HEADER.match(text)
            if header:
                wrapped_header = not header.group(1)
                flush_text()
                flush_summary()
                if mode != "detail":
                    out.extend(["", "Thematic Area\tIndicator\tAssessment\tNotes"])
                mode = "detail"
                columns = [x0 for x0, word, _x1 in words if word.strip("*") in ("Indicator", "Assessment", "Notes")]
                continue
            note = ENDNOTE.match(text)
            if mode in ("detail", "notes") and note and int(note.group(1)) == max(notes, default=0) + 1:
                flush_row()
                mode = "notes"
                notes[int(note.group(1))] = [note.group(2)]
                continue
            if mode == "notes":
                notes[max(notes)].append(text)
                continue
            if mode == "summary":
                if "Score:" in text or "Difference:" in text:
                    flush_summary()
                    mode = "text"
                    out.extend(["", text])
                    continue
                left = _words_text([w for w in words if w[0] < columns[0] - 2]).replace("**", "")
                right_words = [w for w in words if w[0] >= columns[0] - 2]
                right = _words_text(right_words).replace("**", "")
                current = _run(line, page_index, right_words or words)
                if summary_last is None or not summary:
                    new = True
                elif current.page != summary_last.page:
                    new = not right[:1].islower()
                else:
                    pitch = pitches.get(line.size) or pitches[0.0]
                    new = current.top - summary_last.top > pitch * PARAGRAPH_GAP
                if left or new:
                    summary.append([left, right])
                else:
                    summary[-1].append(right)
                summary_last = current
                continue
            if mode == "detail":
                cells: list[list[tuple[float, str, float]]] = [[], [], [], []]
                for word in words:
                    index = sum(1 for boundary in columns if word[0] >= boundary - 2)
                    cells[index].append(word)
                assessment = _words_text(cells[2]).replace("**", "")
                if _RATING_START.match(assessment) or row is None:
                    flush_row()
                    row = [[], [], [], []]
                for index, cell_words in enumerate(cells):
                    if cell_words:
                        row[index].append(_run(line, page_index, cell_words))
                continue
            if "Score:" in text or "Difference:" in text:
                flush_text()
                out.extend(["", text])
                continue
            text_runs.append(_run(line, page_index)._replace(text=text))
    flush_summary()
    flush_row()
    flush_text()
    out.append("")
    for number, lines in sorted(notes.items()):
        out.extend([f"{sup(number)} {_join_lines(lines)}", ""])
    return "\n".join(out)
