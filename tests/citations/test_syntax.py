"""Each citation form parses into the citations it names, in reading order."""

import pytest

from assessments.citations.syntax import extract_citations, iter_footnotes, parse_notes


def refs(text):
    return [(ref.key, ref.locator) for ref in extract_citations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A claim.[@hrw]", [("hrw", "")]),
        ("A claim.[@hrw, p. 4]", [("hrw", "p. 4")]),
        (
            "A claim.[@usdos, 'Section 2. Respect for Civil Liberties']",
            [("usdos", "'Section 2. Respect for Civil Liberties'")],
        ),
        ("A claim.[@a; @b, para. 70]", [("a", ""), ("b", "para. 70")]),
        ("A claim.[ @a ;  @b ]", [("a", ""), ("b", "")]),
        ("Escaped.[@usdos, 'Section 2\\; Section 6'; @fh]", [("usdos", "'Section 2; Section 6'"), ("fh", "")]),
        ("Prose.^[There is also this. [@hrw, p. 6]]", [("hrw", "p. 6")]),
        ("Both.^[[@a; @b] See also: [@c, 'Policy']]", [("a", ""), ("b", ""), ("c", "'Policy'")]),
        ("Unclosed note ^[prose [@hrw] leaves a plain group", [("hrw", "")]),
        ("Key with punctuation.[@un:2021/ga.12323]", [("un:2021/ga.12323", "")]),
    ],
)
def test_citation_forms(text, expected):
    assert refs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mail me at someone@example.org.",
        "A [link](https://example.org) and [brackets] and [see @hrw].",
        "Code `[@hrw]` is not a citation.",
        "Unbalanced [@hrw and more",
        "",
    ],
)
def test_not_citations(text):
    assert refs(text) == []


def test_each_group_and_each_explanatory_note_is_one_footnote():
    text = "One.[@a; @b] Two.^[Prose [@c] and [@d].] Three.[@e]"
    spans = list(iter_footnotes(parse_notes(text)))
    assert [[ref.key for ref in span.refs()] for span in spans] == [["a", "b"], ["c", "d"], ["e"]]
    assert [span.explanatory for span in spans] == [False, True, False]


def test_offsets_point_at_each_key():
    text = "First line.\nSecond [@a] and [@b, p. 2]."
    located = extract_citations(text)
    assert [ref.line_and_column(text) for ref in located] == [(2, 9), (2, 18)]
