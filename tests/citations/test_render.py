"""House style derived at render time: full, short, Ibid.; numbering across items; hostile input."""

from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from assessments.citations.render import render_annex, render_notes


def texts(rendered):
    return [footnote.text for footnote in rendered.footnotes]


def markdowns(rendered):
    return [footnote.markdown for footnote in rendered.footnotes]


def item(pk, notes):
    return SimpleNamespace(pk=pk, notes=notes)


def test_first_citation_full_then_short(library):
    rendered = render_notes("One.[@hrw, 'Women and Girls' Rights'] Two.[@fh] Three.[@hrw]", sources=library)
    assert markdowns(rendered) == [
        "Human Rights Watch (HRW), 2022. *South Korea: Events of 2021*, 'Women and Girls' Rights', "
        "<https://example.org/hrw>.",
        "Freedom House, 2022. *Freedom in the World*, <https://example.org/fh>.",
        "HRW, 2022. *South Korea: Events of 2021*.",
    ]


def test_short_form_keeps_its_locator(library):
    rendered = render_notes("One.[@fh] Two.[@hrw] Three.[@fh, 'F. Rule of Law']", sources=library)
    assert rendered.footnotes[2].markdown == "Freedom House, 2022. *Freedom in the World*, 'F. Rule of Law'."


def test_ibid_without_and_with_locator(library):
    rendered = render_notes("A.[@fh, p. 5] B.[@fh, p. 5] C.[@fh, p. 6] D.[@hrw] E.[@fh]", sources=library)
    assert texts(rendered)[1:3] == ["Ibid.", "Ibid., p. 6."]
    assert texts(rendered)[4] == "Freedom House, 2022. Freedom in the World."


def test_ibid_within_one_footnote_and_after_a_whole_work(library):
    rendered = render_notes("A.[@fh; @fh, p. 2] B.[@fh]", sources=library)
    first, second = texts(rendered)
    assert first.endswith("; Ibid., p. 2.")
    # after a specific page, the whole work is cited in short form, not as "Ibid."
    assert second == "Freedom House, 2022. Freedom in the World."


def test_no_ibid_after_a_note_citing_several_works(library):
    rendered = render_notes("A.[@fh] B.[@hrw; @fh] C.[@fh] D.[@fh, p. 6]", sources=library)
    # C follows a note citing two works: short form, not "Ibid."; D follows a note citing only fh: Ibid.
    assert texts(rendered)[2:] == ["Freedom House, 2022. Freedom in the World.", "Ibid., p. 6."]


def test_no_ibid_after_a_prose_only_note(library):
    rendered = render_notes("A.[@fh] B.^[A remark that cites nothing.] C.[@fh]", sources=library)
    assert texts(rendered)[1:] == ["A remark that cites nothing.", "Freedom House, 2022. Freedom in the World."]


def test_ibid_after_an_explanatory_note_citing_one_work(library):
    rendered = render_notes("A.^[As noted. [@fh, p. 2]] B.[@fh, p. 3]", sources=library)
    assert texts(rendered)[1] == "Ibid., p. 3."


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("p. 4 – 5", "pp. 4–5"),
        ("pp 4-5", "pp. 4–5"),
        ("p.3", "p. 3"),
        ("page 12", "p. 12"),
        ("para 3", "para. 3"),
        ("paras 3-4", "paras. 3–4"),
        ("para. 7 – 9", "paras. 7–9"),
        ("'Section 2. Respect for Civil Liberties'", "'Section 2. Respect for Civil Liberties'"),
    ],
)
def test_locators_are_normalised(library, typed, printed):
    rendered = render_notes(f"A.[@hrw] B.[@fh, {typed}]", sources=library)
    assert texts(rendered)[1] == f"Freedom House, 2022. Freedom in the World, {printed}, <https://example.org/fh>."


def test_abbreviation_introduced_in_the_prose_prints_short(library):
    rendered = render_notes("Members of Human Rights Watch (HRW) said so.[@hrw]", sources=library)
    assert texts(rendered)[0].startswith("HRW, 2022. South Korea: Events of 2021")


def test_ibid_switched_off(library):
    rendered = render_notes("A.[@fh] B.[@fh] C.[@fh, p. 6]", sources=library, ibid=False)
    assert texts(rendered)[1:] == [
        "Freedom House, 2022. Freedom in the World.",
        "Freedom House, 2022. Freedom in the World, p. 6.",
    ]


def test_organisation_abbreviation_introduced_once_per_annex(library):
    rendered = render_notes("A.[@hrw] B.[@hrw2020]", sources=library)
    assert texts(rendered)[1].startswith("HRW, 2020. South Korea: Promote Human Rights in North Korea, <https://")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "news",
            "Rashid, Raphael, 2021. 'South Korea designates arriving Afghans'. *The Guardian*, 26 August. "
            "Available at: <https://example.org/news>.",
        ),
        ("two", "Kwok, Andre, Nathaneal Kwon, 2022. *Politics of denial*, <https://example.org/two>."),
        (
            "act",
            "Republic of Korea. 'Act on the Punishment of Crime'. (12 April 2011). <https://elaw.example/act>.",
        ),
        ("ga", "United Nations, General Assembly, Speakers Differ, 17 May 2021, GA/12323."),
        ("nd", "Kuzmarov, Jeremy, n.d. *Title of nd*, <https://example.org/nd>."),
    ],
)
def test_house_forms_by_type(library, key, expected):
    assert render_notes(f"Claim.[@{key}]", sources=library).footnotes[0].markdown == expected


def test_footnote_html_italics_and_links(library):
    footnote = render_notes("Claim.[@hrw]", sources=library).footnotes[0]
    assert "<em>South Korea: Events of 2021</em>" in footnote.html
    assert (
        '&lt;<a href="https://example.org/hrw" rel="noopener noreferrer">https://example.org/hrw</a>&gt;'
        in footnote.html
    )


def test_explanatory_footnote_with_prose_and_citations(library):
    rendered = render_notes("Claim.^[There is also *this*. [@fh] See also: [@hrw, p. 3]]", sources=library)
    (footnote,) = rendered.footnotes
    assert footnote.markdown == (
        "There is also *this*. Freedom House, 2022. *Freedom in the World*, <https://example.org/fh>. "
        "See also: Human Rights Watch (HRW), 2022. *South Korea: Events of 2021*, p. 3, <https://example.org/hrw>."
    )
    assert footnote.html.startswith("There is also <em>this</em>. Freedom House")


def test_markers_in_notes(library):
    rendered = render_notes("First.[@fh]\n\nSecond.^[Note [@hrw]]", sources=library, first_number=7)
    html = rendered.notes[0].html
    assert '<sup class="fn-ref" id="fnref-7"><a href="#fn-7" rel="noopener noreferrer">7</a></sup>' in html
    assert 'id="fnref-8"' in html and "Note" not in html
    assert rendered.notes[0].footnote_numbers == [7, 8]
    assert [footnote.number for footnote in rendered.footnotes] == [7, 8]


def test_numbering_runs_through_items_in_the_order_given(library):
    items = [item(1, "A.[@fh] B.[@hrw]"), item(2, ""), item(3, "C.[@fh; @two]")]
    rendered = render_annex(items, sources=library)
    assert [rendered.notes[pk].footnote_numbers for pk in (1, 2, 3)] == [[1, 2], [], [3]]
    assert [footnote.number for footnote in rendered.footnotes] == [1, 2, 3]


def test_moving_a_paragraph_renumbers_and_rederives_ibid(library):
    first, second = item(1, "A.[@fh]"), item(2, "B.[@hrw] C.[@fh]")
    before = render_annex([first, second], sources=library)
    assert texts(before)[0].startswith("Freedom House, 2022. Freedom in the World, <")
    assert texts(before)[2] == "Freedom House, 2022. Freedom in the World."
    after = render_annex([second, first], sources=library)
    assert after.notes[2].footnote_numbers == [1, 2] and after.notes[1].footnote_numbers == [3]
    assert texts(after)[1].startswith("Freedom House, 2022. Freedom in the World, <")  # full form moved up
    assert texts(after)[2] == "Ibid."  # now immediately preceded by the same source


def test_unknown_keys_render_as_typed_and_are_reported(library):
    rendered = render_notes("Known.[@fh]\nUnknown.[@nobody, p. 2] and [@fh; @ghost]", sources=library)
    assert texts(rendered)[1] == "[@nobody, p. 2]."
    assert '<span class="citation-unknown"' in rendered.footnotes[1].html
    assert [(u.key, u.line, u.column) for u in rendered.unknown_keys] == [("nobody", 2, 10), ("ghost", 2, 35)]
    # an unknown key breaks an Ibid. chain: the known source after it is not "Ibid."
    assert texts(rendered)[2] == "Freedom House, 2022. Freedom in the World; [@ghost]."


HOSTILE = [
    "<script>alert(1)</script> text.[@fh]",
    "[click](javascript:alert(1)) and ^[<img src=x onerror=alert(1)> [@fh, <script>alert(2)</script>]]",
    "Broken ^[note [@fh and [@fh, p. 1 and [[[@ ]]] ^[",
    '[@fh, p. 1"><script>alert(3)</script>]',
    "^[[x](javascript:alert(4)) [@fh]]",
]


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    collector = TagCollector()
    collector.feed(html)
    for tag, attrs in collector.tags:
        assert tag in {"p", "em", "strong", "sup", "a", "span", "code", "ul", "ol", "li"}, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not (attrs.get("href") or "").lower().strip().startswith(("javascript", "data", "vbscript")), attrs


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_notes_render_harmless(library, text):
    rendered = render_notes(text, sources=library)
    assert_harmless(rendered.notes[0].html)
    for footnote in rendered.footnotes:
        assert_harmless(footnote.html)


def test_hostile_source_fields_render_harmless(library):
    source = library["fh"]
    source.title = "<script>alert(1)</script>"
    source.url = "javascript:alert(1)"
    source.authors = [{"literal": "<b onmouseover=alert(1)>Evil</b>"}]
    footnote = render_notes("A.[@fh]", sources=library).footnotes[0]
    assert "<script" not in footnote.html and "href" not in footnote.html and "<b" not in footnote.html
    assert "&lt;script&gt;" in footnote.html


def test_empty_and_plain_notes(library):
    assert render_notes("", sources=library).footnotes == []
    rendered = render_notes("Just *text*.", sources=library)
    assert rendered.notes[0].html.strip() == "<p>Just <em>text</em>.</p>"
