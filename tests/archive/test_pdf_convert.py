"""Reading r2p's PDF back into annex text: footnotes at the page foot, paragraphs and rows across page breaks."""

import pytest
from django.contrib.staticfiles import finders

from assessments.archive.convert import _continues, _foot_notes, _Line, _Run, pdf_to_text

LOREM = "lorem ipsum dolor sit amet " * 30


def _pdf(tmp_path, body: str, *, css: str = "") -> str:
    from weasyprint import CSS, HTML

    sheets = [CSS(filename=finders.find(name)) for name in ("r2p/annex.css", "r2p/annex-pdf.css")]
    if css:
        sheets.append(CSS(string=css))
    path = tmp_path / "annex.pdf"
    html = f"<html><body class='annex-document'><div class='annex'>{body}</div></body></html>"
    HTML(string=html).render(stylesheets=sheets).write_pdf(str(path))
    return str(path)


def _detail_table(rows: list[tuple[str, str, str, str]], *, breakable: bool = True) -> str:
    """The detailed table as `_annex_body.html` prints it: (indicator, rating, trend, notes html) per row."""
    body = ""
    for index, (indicator, rating, trend, notes) in enumerate(rows):
        area = (
            f"<th rowspan='{len(rows)}' class='area'><div class='keep'>Basic Compliance</div></th>" if not index else ""
        )
        body += (
            f"<tr{' class=breakable' if breakable else ''}>{area}<td class='indicator'><div class='keep'>{indicator}"
            f"</div></td><td class='assessment'><div class='keep'><span>{rating}</span><br><span>{trend}</span>"
            f"</div></td><td class='notes'>{notes}</td></tr>"
        )
    return (
        "<table class='detail-table'><colgroup><col class='col-area'><col class='col-indicator'>"
        "<col class='col-assessment'><col class='col-notes'></colgroup><thead><tr><th>Thematic Area</th>"
        f"<th>Indicator</th><th>Assessment</th><th>Notes</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def test_page_foot_footnotes_are_read_as_notes_and_paragraphs_go_on_across_pages(tmp_path):
    body = "".join(
        f"<p>Paragraph {i} begins {LOREM}and ends here.<span class='footnote'>Note for paragraph {i}, "
        f"<a href='https://example.org/{i}'>https://example.org/{i}</a>.</span></p>"
        for i in range(12)
    )
    blocks = _paragraphs(pdf_to_text(_pdf(tmp_path, body)))
    paragraphs = [block for block in blocks if block.startswith("Paragraph")]
    # Every paragraph comes back whole (several of them cross a page break), none starts mid-sentence.
    assert len(paragraphs) == 12
    assert all(block.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹").endswith("and ends here.") for block in paragraphs)
    assert not any(block.startswith("lorem") for block in blocks)
    # The notes are taken out of the text flow and listed after it, numbered, in order.
    notes = [block for block in blocks if block[0] in "¹²³⁴⁵⁶⁷⁸⁹"]
    assert notes[0] == "¹ Note for paragraph 0, https://example.org/0."
    assert notes[11] == "¹² Note for paragraph 11, https://example.org/11."
    assert len(notes) == 12 and blocks[-12:] == notes


def test_a_row_of_the_detailed_table_goes_on_after_a_page_break(tmp_path):
    notes = "".join(f"<p>Sentence {i} of the notes {LOREM}closes.</p>" for i in range(5))
    body = _detail_table(
        [
            (
                "Protection of populations.",
                "Very Strong",
                "Unchanged",
                f"{notes}<p>Last words.<span class='footnote'>The only note.</span></p>",
            ),
            ("Reduction of risks.", "Fair", "Unchanged", "Short."),
        ]
    )
    text = pdf_to_text(_pdf(tmp_path, body))
    assert text.count("Thematic Area\tIndicator\tAssessment\tNotes") == 1
    rows = [line for line in text.splitlines() if "\t" in line][1:]
    assert len(rows) == 2
    cells = rows[0].split("\t")
    assert cells[:3] == ["Basic Compliance", "Protection of populations.", "Very Strong Unchanged"]
    assert cells[3].count("<p>") == 6 and "<p>Last words.¹</p>" in cells[3]
    assert rows[1].split("\t")[1:] == ["Reduction of risks.", "Fair Unchanged", "Short."]
    assert text.rstrip().endswith("¹ The only note.")


def test_endnotes_after_the_detailed_table_still_work(tmp_path):
    """Exports made before footnotes went to the page foot list them, numbered, after the detailed table."""
    css = (
        ".annex-footnotes { font-size: 7.5pt; line-height: 1.35; } .footnote-list { list-style: none; padding: 0; }"
        " .footnote-list li::before { content: attr(data-number) '. '; font-weight: 700; }"
    )
    body = _detail_table(
        [("Protection of populations.", "Fair", "Unchanged", "Some text.<sup>1</sup> More.<sup>2</sup>")],
        breakable=False,
    ) + (
        "<section class='annex-footnotes'><ol class='footnote-list'>"
        "<li data-number='1'>First note, <em>a title</em>.</li><li data-number='2'>Second note.</li></ol></section>"
    )
    text = pdf_to_text(_pdf(tmp_path, body, css=css))
    assert "\tSome text.¹ More.²" in text
    assert _paragraphs(text)[-2:] == ["¹ First note, *a title*.", "² Second note."]


def _line(top, text, size):
    words, x = [], 50.0
    for word in text.split():
        words.append((x, word, x + len(word) * size * 0.5))
        x += (len(word) + 1) * size * 0.5
    return _Line(top=top, bottom=top + size, words=words, size=size)


def test_a_footnote_going_on_at_the_next_page_foot_is_one_note():
    notes: dict[int, list[str]] = {}
    first = [_line(60, "Body text that is long enough.", 8.0), _line(700, "1. A long note that", 7.0)]
    first.append(_line(709, "goes on", 7.0))
    start, size = _foot_notes(first, notes, None)
    assert (start, size) == (1, 7.0)
    second = [_line(60, "More body text.", 8.0), _line(700, "and ends here.", 7.0), _line(709, "2. Next.", 7.0)]
    assert _foot_notes(second, notes, size) == (1, 7.0)
    assert notes == {1: ["A long note that", "goes on", "and ends here."], 2: ["Next."]}
    # A foot area that starts with a later number (a note was lost before) keeps the printed numbers.
    third = [_line(60, "Body.", 8.0), _line(700, "5. Fifth.", 7.0), _line(709, "6. Sixth, with 7. inside", 7.0)]
    assert _foot_notes(third, notes, size) == (1, 7.0)
    assert notes[5] == ["Fifth."] and notes[6] == ["Sixth, with 7. inside"] and 3 not in notes
    # Small text at the foot without a note number, before any note, is body text.
    assert _foot_notes([_line(60, "Body.", 9.0), _line(700, "A caption in small type.", 7.0)], {}, None)[0] == 2


@pytest.mark.parametrize(
    ("last", "next_text", "goes_on"),
    [
        ("at the expense of wider", "Regional engagement", True),  # no sentence ends on the last line
        ("the expense. Of wider", "regional engagement", True),  # the next line starts lowercase
        ("a short line ends.¹", "The next paragraph", False),  # room for "The" on the last line: a new paragraph
        ("a full line that ends a sentence.", "Longwordthatwouldnotfit continues", True),  # the line was full
    ],
)
def test_a_page_break_is_a_paragraph_break_only_where_the_text_says_so(last, next_text, goes_on):
    previous = _Run(top=780, page=0, text=last, x0=50, x1=300 if "short" in last else 540, first=20, size=9.0)
    run = _Run(top=60, page=1, text=next_text, x0=50, x1=500, first=60 if "Longword" in next_text else 15, size=9.0)
    assert _continues(previous, run, right=545) is goes_on
