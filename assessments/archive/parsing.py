"""Read the plain text of a published annex (as extracted from its PDF) into a `ParsedAnnex`.

The text is the one `../shared/reference/annex-2022-republic-of-korea.txt` shows: tables arrive as
tab-separated lines, footnote markers as superscript digits, footnotes as lines that start with one, and page
breaks split a table row (the rest arrives as a row of empty cells plus text), drop the thematic-area cell or
push the tail of a footnote or of a cell's notes below the footnotes of the page. DOCX and PDF are first
turned into the same text (`assessments.archive.convert`), so there is one parser.
"""

import datetime
import re
from dataclasses import dataclass, field

from assessments.framework.models import Rating, Trend

from .document import ParsedAnnex, ParsedRow
from .footnotes import SourceMatcher, footnotes_to_citations
from .matching import IndicatorInfo, IndicatorMatcher

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPER_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
FOOTNOTE_LINE = re.compile(rf"^([{SUPERSCRIPTS}]+)\s*(.*)$")
MARKER = re.compile(rf"\s*([{SUPERSCRIPTS}]+)")
TITLE_LINE = re.compile(r"^\s*UPDATED ASSESSMENT OF R2P IMPLEMENTATION\s+(\d{4})\s*$", re.I)
SUMMARY_HEADER = re.compile(r"^\s*(?:Assessment|Rating)\s*\t\s*Indicators?\s*$", re.I)
DETAIL_HEADER = re.compile(r"^\s*Thematic Areas?\s*\t\s*Indicators?\s*\t\s*Assessment\s*\t\s*Notes\s*$", re.I)
_RATINGS = "|".join(sorted((r.label for r in Rating), key=len, reverse=True))
_TRENDS = "|".join(t.label for t in Trend)
ASSESSMENT = re.compile(rf"^\s*(?P<rating>{_RATINGS})(?:\s+(?P<trend>{_TRENDS}))?\s*$", re.I)
PUBLISHED_LINE = re.compile(r"published (\d{1,2} [A-Z][a-z]+ \d{4})")
INTRO_START = re.compile(r"^The following Updated Assessment Annex", re.I)
ORDINAL_SPLIT = re.compile(r"(\d) (st|nd|rd|th)\b")  # "14 th": a superscript suffix that became a word


@dataclass
class _Row:
    area: str
    title: str
    assessment: str
    notes: str
    notices: list[str] = field(default_factory=list)  # flags about this row, raised once it is matched


def parse_annex_text(
    text: str, *, indicators: list[IndicatorInfo], sources: SourceMatcher | None = None
) -> ParsedAnnex:
    """Parse the annex text; nothing is written. Every guess is recorded in `flags`."""
    annex = ParsedAnnex(source_text=text)
    lines = [line.rstrip("\r") for line in text.replace("\u00a0", " ").split("\n")]
    index = _title_block(annex, lines)
    index, overview = _paragraphs_until(lines, index, SUMMARY_HEADER)
    annex.overview = _join_paragraphs(overview)
    index = _summary_table(annex, lines, index)
    index = _score_block(annex, lines, index)
    index, conclusion = _paragraphs_until(lines, index, DETAIL_HEADER)
    annex.conclusion = _join_paragraphs(conclusion)
    raw_rows, raw_footnotes = _detailed_table(annex, lines, index + 1)

    matcher = IndicatorMatcher(indicators)
    for position, raw in enumerate(raw_rows):
        row = ParsedRow(thematic_area=raw.area, title=_clean_title(raw.title))
        match = raw.assessment and ASSESSMENT.match(raw.assessment)
        if match:
            row.rating = Rating.from_label(match.group("rating")).value
            row.trend = Trend.from_label(match.group("trend")).value if match.group("trend") else ""
        else:
            annex.flag("uncertain", row.title[:60], f"no rating could be read from {raw.assessment!r}")
        row.raw_notes = raw.notes.strip()
        indicator, score = matcher.match(row.title, expected_position=position)
        for notice in raw.notices:
            annex.flag("uncertain", indicator.code if indicator else row.title[:60], notice)
        if indicator is None:
            annex.flag("uncertain", row.title[:60], "indicator title not in this cycle's framework")
        else:
            row.code, row.match_score = indicator.code, round(score, 3)
            if score < 1:
                annex.flag(
                    "uncertain",
                    indicator.code,
                    f"indicator title {row.title!r} differs from the framework's {indicator.title!r} "
                    f"(similarity {score:.3f})",
                )
            if raw.area and _norm(raw.area) != _norm(indicator.thematic_area):
                annex.flag(
                    "uncertain",
                    indicator.code,
                    f"thematic area printed as {raw.area!r}, the framework says {indicator.thematic_area!r}",
                )
        if not row.trend and row.rating:
            annex.flag("uncertain", row.code or row.title[:60], "no trend printed")
        annex.rows.append(row)
    annex.summary = _match_summary(annex, matcher)

    footnotes_to_citations(annex, raw_footnotes, sources or SourceMatcher([]))
    annex.overview = _apply_markers(annex, annex.overview, "overview")
    annex.conclusion = _apply_markers(annex, annex.conclusion, "conclusion")
    for row in annex.rows:
        row.notes = _apply_markers(annex, _notes_markup(row.raw_notes), row.code or row.title[:60])
        row.raw_notes = MARKER.sub(lambda m: f" ⟨{m.group(1).translate(SUPER_TO_DIGIT)}⟩", row.raw_notes)
    return annex


# --- the parts before the detailed table ---------------------------------------------------------------------


def _title_block(annex: ParsedAnnex, lines: list[str]) -> int:
    for index, line in enumerate(lines):
        match = TITLE_LINE.match(line)
        if match:
            annex.cycle_year = int(match.group(1))
            before = [candidate.strip() for candidate in lines[:index] if candidate.strip()]
            annex.country_name = _title_case(before[-1]) if before else ""
            break
    else:
        annex.flag("uncertain", "title", "no title line 'Updated Assessment of R2P Implementation <year>' found")
        return 0
    # Skip the publisher lines and the standard introduction (the cycle's, not the country's) up to the
    # repeated country heading that opens the overview.
    for line in lines[index : index + 12]:
        published = PUBLISHED_LINE.search(line)
        if published:
            try:
                annex.published_on = datetime.datetime.strptime(published.group(1), "%d %B %Y").date().isoformat()
            except ValueError:
                pass
    heading = annex.country_name.casefold()
    for later in range(index + 1, len(lines)):
        if lines[later].strip().casefold() == heading:
            return later + 1
    annex.flag("uncertain", "overview", "no country heading before the overview; the overview may include more")
    for later in range(index + 1, len(lines)):
        if INTRO_START.match(lines[later].strip()):
            return later + 1
    return index + 1


def _title_case(name: str) -> str:
    small = {"of", "the", "and", "de"}
    words = name.split()
    return " ".join(
        word.lower() if i and word.lower() in small else word[:1].upper() + word[1:].lower()
        for i, word in enumerate(words)
    )


def _paragraphs_until(lines: list[str], index: int, stop: re.Pattern) -> tuple[int, list[str]]:
    paragraphs = []
    while index < len(lines) and not stop.match(lines[index]):
        line = lines[index].strip()
        if line and not (line.isupper() and len(line) < 100):  # a repeated heading such as the country name
            paragraphs.append(line)
        index += 1
    return index, paragraphs


def _join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(_inline_markup(paragraph) for paragraph in paragraphs)


def _summary_table(annex: ParsedAnnex, lines: list[str], index: int) -> int:
    if index >= len(lines):
        annex.flag("uncertain", "summary", "no summary table found")
        return index
    rating = ""
    raw: list[tuple[str, str]] = []
    index += 1
    while index < len(lines):
        line = lines[index]
        if SCORE_IN_LINE.search(line) or DETAIL_HEADER.match(line):
            break
        if SUMMARY_HEADER.match(line):  # repeated on the next page
            index += 1
            continue
        if "\t" in line:
            first, _, rest = line.partition("\t")
            if first.strip():
                try:
                    rating = Rating.from_label(first.strip()).value
                except ValueError:
                    annex.flag("uncertain", "summary", f"unknown rating {first.strip()!r} in the summary table")
            if rest.strip():
                raw.append((rating, rest.strip()))
        index += 1
    annex.summary = raw
    return index


SCORE_IN_LINE = re.compile(r"(?P<year>\d{4})\s+Score:\s*(?P<score>\d{1,3})", re.I)
DIFFERENCE_IN_LINE = re.compile(r"Difference:\s*(?P<sign>[-−–+]?)\s*(?P<value>\d{1,3})", re.I)


def _score_block(annex: ParsedAnnex, lines: list[str], index: int) -> int:
    scores = []
    while index < len(lines) and not DETAIL_HEADER.match(lines[index]):
        line = lines[index].strip()
        found = [(int(m.group("year")), int(m.group("score"))) for m in SCORE_IN_LINE.finditer(line)]
        difference = DIFFERENCE_IN_LINE.search(line)
        scores.extend(found)
        if difference:
            value = int(difference.group("value"))
            annex.difference = -value if difference.group("sign") and difference.group("sign") in "-−–" else value
            index += 1
            break
        if line and not found and scores:
            break
        index += 1
    if scores:
        scores.sort(reverse=True)
        annex.score = scores[0][1]
        if scores[0][0] != annex.cycle_year:
            annex.flag("inconsistent", "score", f"the score block names {scores[0][0]}, the title {annex.cycle_year}")
        if len(scores) > 1:
            annex.previous_year, annex.previous_score = scores[1]
    else:
        annex.flag("uncertain", "score", "no score block found")
    return index


# --- the detailed table and the footnotes --------------------------------------------------------------------


def _detailed_table(annex: ParsedAnnex, lines: list[str], index: int) -> tuple[list[_Row], dict[int, str]]:
    rows: list[_Row] = []
    footnotes: dict[int, str] = {}
    last_footnote: int | None = None
    last_was_footnote = False
    area = ""
    for line in lines[index:]:
        if not line.strip() or DETAIL_HEADER.match(line):
            continue
        footnote = FOOTNOTE_LINE.match(line)
        if footnote and "\t" not in line:
            number = int(footnote.group(1).translate(SUPER_TO_DIGIT))
            footnotes[number] = footnote.group(2).strip()
            last_footnote, last_was_footnote = number, True
            continue
        if "\t" in line:
            cells = line.split("\t")
            position = next((i for i, cell in enumerate(cells) if ASSESSMENT.match(cell)), None)
            if position is None:
                # The rest of a row that a page break split: indicator words and/or notes in empty-celled columns.
                if not rows:
                    annex.flag("uncertain", "table", f"text before the first row ignored: {line.strip()[:80]!r}")
                    continue
                texts = [cell.strip() for cell in cells]
                notes = texts[-1] if len(cells) >= 4 or len(texts) > 1 and not texts[-2] else ""
                title_part = " ".join(cell for cell in texts[:-1] if cell) if notes else " ".join(t for t in texts if t)
                target = rows[-1]
                if title_part:
                    target.title = f"{target.title} {title_part}"
                if notes:
                    target.notes = _join_notes(target.notes, notes)
                target.notices.append(
                    "a page break split this row; the continuation "
                    + ("of the indicator title and notes " if title_part and notes else "")
                    + "was joined to it: check it does not belong to the next row"
                )
                last_was_footnote = False
                continue
            title = cells[position - 1].strip() if position >= 1 else ""
            if position >= 2 and cells[position - 2].strip():
                area = cells[position - 2].strip()
            notes = "\t".join(cells[position + 1 :]).strip()
            rows.append(
                _Row(
                    area=area if position >= 2 else rows[-1].area if rows else "",
                    title=title,
                    assessment=cells[position].strip(),
                    notes=notes,
                )
            )
            if position < 2 and len(rows) > 1:
                rows[-1].notices.append("the row lost its thematic-area column (page break)")
            last_was_footnote = False
            continue
        # A line without tabs and without a footnote number: the tail of a footnote or of a row's notes.
        text = line.strip()
        open_footnote = last_footnote is not None and not footnotes[last_footnote].rstrip().endswith((".", ">", ")"))
        looks_like_reference = bool(re.search(r"<https?://|\*[^*]+\*|, (\d{4}|n\.d\.)\. ", text))
        if open_footnote and (last_was_footnote or looks_like_reference) and not text.startswith("- "):
            footnotes[last_footnote] = f"{footnotes[last_footnote]} {text}"
            annex.flag(
                "uncertain",
                f"footnote {last_footnote}",
                "the footnote continued after a page break; its tail was found further down and joined",
            )
            continue
        if not rows:
            annex.flag("uncertain", "table", f"text before the first row ignored: {text[:80]!r}")
            continue
        target = rows[-1]
        target.notes = _join_notes(target.notes, text, list_item=text.startswith("- "))
        notice = "text found below the footnotes of a page was joined to this row's notes"
        if notice not in target.notices:
            target.notices.append(notice)
        last_was_footnote = False
    return rows, footnotes


def _join_notes(notes: str, more: str, *, list_item: bool = False) -> str:
    """Join a continuation to a row's notes: list items on their own line, text after a list as a new paragraph."""
    if not notes:
        return more
    if list_item:
        return f"{notes}\n{more}"
    if notes.split("\n")[-1].startswith("- "):
        return f"{notes}\n\n{more}"
    return f"{notes} {more}"


def _clean_title(title: str) -> str:
    return " ".join(title.split()).rstrip(".")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold().replace("&", "and")).strip()


def check_duplicates_and_missing(annex: ParsedAnnex, indicators: list[IndicatorInfo]) -> None:
    seen: dict[str, int] = {}
    for row in annex.rows:
        if row.code:
            seen[row.code] = seen.get(row.code, 0) + 1
    for code, count in seen.items():
        if count > 1:
            annex.flag("inconsistent", code, f"the detailed table has {count} rows for this indicator")
    for indicator in indicators:
        if indicator.code not in seen:
            annex.flag("inconsistent", indicator.code, "the detailed table has no row for this indicator")


def _match_summary(annex: ParsedAnnex, matcher: IndicatorMatcher) -> list[tuple[str, str]]:
    matched = []
    for rating, title in annex.summary:
        indicator, score = matcher.match(_clean_title(title))
        if indicator is None:
            annex.flag("uncertain", "summary", f"summary-table indicator {title!r} not in the framework")
            continue
        if score < 1:
            annex.flag(
                "uncertain",
                indicator.code,
                f"summary table prints {title!r} for {indicator.title!r} (similarity {score:.3f})",
            )
        matched.append((rating, indicator.code))
    return matched


# --- notes markup --------------------------------------------------------------------------------------------


def _inline_markup(text: str) -> str:
    text = re.sub(r"<i>(.*?)</i>", r"*\1*", text)
    text = re.sub(r"<b>(.*?)</b>", r"**\1**", text)
    text = re.sub(r"(?<!\*)\*([^\s*][^*\n]*?)\s+\*(?!\*)", r"*\1*", text)  # "*Title *": a space inside
    text = re.sub(r"(?<![*\s])\*\s+([.,;:])", r"*\1", text)  # "*Title* ." — a space before the stop
    text = re.sub(r"\[here\]\(#\)", "here", text)
    text = ORDINAL_SPLIT.sub(r"\1\2", text)
    return text.replace("\\$", "$")


def _notes_markup(raw: str) -> str:
    """Cell HTML (paragraphs, lists, italics) as notes markup: paragraphs, `- ` lists, `*italics*`."""
    text = raw.strip()
    text = re.sub(r"\s*<ul[^>]*>\s*", "\n\n- ", text)
    text = re.sub(r"\s*</ul>\s*", "\n\n", text)
    text = re.sub(r"\s*<li>\s*", "\n- ", text)
    text = re.sub(r"\s*</li>\s*", "", text)
    text = re.sub(r"\s*</p>\s*<p>\s*", "\n\n", text)
    text = re.sub(r"\s*</?p>\s*", "\n\n", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = re.sub(r"\n\n- ", "\n\n- ", text)
    return _inline_markup(text)


def _apply_markers(annex: ParsedAnnex, text: str, where: str) -> str:
    def replace(match: re.Match) -> str:
        number = int(match.group(1).translate(SUPER_TO_DIGIT))
        footnote = annex.footnotes.get(number)
        if footnote is None:
            annex.flag("inconsistent", where, f"footnote marker {number} has no footnote text")
            return f"^[Footnote {number} is missing from the original.]"
        return footnote.markup

    return MARKER.sub(replace, text)
