"""A stand-in for the citations renderer, with the same interface, so the export pipelines can be tested
with real footnote counts before the real renderer lands. Each `^[...]` inline note and each `[@...]`
group outside one becomes one footnote whose text names the cited keys."""

import re

from assessments.citations.render import Footnote, RenderedAnnex, RenderedNotes
from assessments.citations.syntax import CITATION_GROUP
from assessments.rendering import markdown_to_safe_html

_TOKEN = "FNMARK{}KRAMNF"


def _inline_note_end(text: str, start: int) -> int:
    depth = 0
    for position in range(start + 1, len(text)):
        if text[position] == "[":
            depth += 1
        elif text[position] == "]":
            depth -= 1
            if depth == 0:
                return position
    return len(text) - 1


def fake_render_annex(items, *, sources=None, ibid=True) -> RenderedAnnex:
    number = 0
    footnotes, notes = [], {}
    for item in items:
        text, out, numbers, position = item.notes, [], [], 0
        while position < len(text):
            if text.startswith("^[", position):
                end = _inline_note_end(text, position)
                body = text[position + 2 : end]
            else:
                match = CITATION_GROUP.match(text, position)
                if not match:
                    out.append(text[position])
                    position += 1
                    continue
                end, body = match.end() - 1, match.group(1)
            number += 1
            numbers.append(number)
            plain = CITATION_GROUP.sub(lambda m: m.group(1).replace("@", ""), body).strip()
            footnotes.append(Footnote(number=number, html=f"<em>Note</em> {plain}.", text=f"Note {plain}."))
            out.append(_TOKEN.format(number))
            position = end + 1
        html = markdown_to_safe_html("".join(out))
        html = re.sub(
            _TOKEN.format(r"(\d+)"), lambda m: f'<sup id="fnref-{m[1]}"><a href="#fn-{m[1]}">{m[1]}</a></sup>', html
        )
        notes[item.pk] = RenderedNotes(html=html, footnote_numbers=numbers)
    return RenderedAnnex(notes=notes, footnotes=footnotes)
