"""Notes with citations to HTML with numbered footnotes in the house style.

Interface used by the editor preview, the country page and the annex exporters. (The footnote
formatting is filled in by the citations work; until then citations render as typed.)
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assessments.models import AssessmentItem, Source
from assessments.rendering import markdown_to_safe_html


@dataclass(frozen=True)
class Footnote:
    number: int
    html: str  # sanitised HTML of the footnote text (italics, links)
    text: str  # the same as plain text


@dataclass(frozen=True)
class UnknownKey:
    key: str
    line: int
    column: int


@dataclass
class RenderedNotes:
    html: str  # sanitised HTML of the notes with <sup> footnote markers linking to #fn-N
    footnote_numbers: list[int] = field(default_factory=list)
    unknown_keys: list[UnknownKey] = field(default_factory=list)


@dataclass
class RenderedAnnex:
    notes: dict[int, RenderedNotes]  # AssessmentItem pk → its rendered notes
    footnotes: list[Footnote]

    @property
    def unknown_keys(self) -> list[UnknownKey]:
        return [unknown for notes in self.notes.values() for unknown in notes.unknown_keys]


def render_annex(
    items: Sequence[AssessmentItem], *, sources: Mapping[str, Source] | None = None, ibid: bool = True
) -> RenderedAnnex:
    """Render items given in reading order; footnotes are numbered 1..N across all of them."""
    return RenderedAnnex(notes={item.pk: render_notes(item.notes).notes[0] for item in items}, footnotes=[])


def render_notes(
    text: str, *, sources: Mapping[str, Source] | None = None, ibid: bool = True, first_number: int = 1
) -> RenderedAnnex:
    """Render one text on its own (editor preview); its notes are under key 0."""
    return RenderedAnnex(notes={0: RenderedNotes(html=markdown_to_safe_html(text))}, footnotes=[])
