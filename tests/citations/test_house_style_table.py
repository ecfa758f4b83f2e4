"""Every Korea 2022 footnote: r2p's text beside the reference annex's, each intended difference named.

`tests/data/house_style_footnotes.json` holds, for each of the 39 footnotes, the reference annex's text,
r2p's text (the Markdown notation: *titles*, <URLs>) and the names of the differences between them. The
test checks that r2p renders exactly the text listed, and that the reference text becomes it by applying
only the named differences below (each a rewrite of the reference, applied at least once).
"""

import json
import re
from pathlib import Path

import pytest

from assessments.citations.pages import annex_render

TABLE = json.loads((Path(__file__).parents[1] / "data" / "house_style_footnotes.json").read_text(encoding="utf-8"))
BARE_URL = r"(?<![<(])(https?://[^\s<>]+?)(?=[.;]?(?:\s|$))"

# name → (why, pattern, replacement); applied to the reference text in the order listed for a footnote.
DIFFERENCES = {
    "url in angle brackets": (
        "the reference prints some URLs bare, most in <angle brackets>; r2p brackets every URL",
        BARE_URL,
        r"<\1>",
    ),
    "final full stop": ("every footnote ends with a full stop", r"(?<=[>)a-z])$", "."),
    "no stop after a title ending in ?": (
        "'…North Korea?'. has no second stop in r2p (as in 20 and 31)",
        r"\?'\.",
        "?'",
    ),
    "page range": ("locators normalised: p. 4 – 5 → pp. 4–5 (en dash, no spaces)", r"p\. 4 – 5", "pp. 4–5"),
    "semicolon after Ibid.": (
        "the citations of one footnote are joined with '; ', also after Ibid.",
        r"^Ibid\., ",
        "Ibid.; ",
    ),
    "stray semicolon": ("the printed footnote 21 ends with a stray semicolon", r"';$", "'."),
    "straight quotes": (
        "titles of articles in 'straight' quotes (the reference mixes ‘curly’ ones in); apostrophes stay",
        r"‘|’(?![A-Za-z])",
        "'",
    ),
    "apostrophes as the record has them": (
        "locators are printed as typed in the notes, with typographic apostrophes (Women’s, Girls’)",
        r"(?<=[A-Za-z])'(?=s\s|\s[A-Za-z])",
        "’",
    ),
}


def test_the_table_lists_every_footnote_once():
    assert [row["number"] for row in TABLE] == list(range(1, 40))
    reference = json.loads((Path(__file__).parents[1] / "data" / "reference_footnotes.json").read_text("utf-8"))
    assert [row["reference"] for row in TABLE] == [footnote["text"] for footnote in reference]
    used = {name for row in TABLE for name in row["differences"]}
    assert used == set(DIFFERENCES)  # every named difference occurs, and no other


@pytest.fixture(scope="module")
def rendered(django_db_blocker, django_db_setup):
    from assessments.demo.loader import demo_load
    from assessments.models import CountryAssessment

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            demo_load()
            korea = CountryAssessment.objects.select_related("cycle").get(country__code="KOR", cycle__year=2022)
            footnotes = annex_render(list(korea.items.in_reading_order()), cycle=korea.cycle).footnotes
            transaction.set_rollback(True)
    return {footnote.number: footnote.markdown for footnote in footnotes}


@pytest.mark.parametrize("row", TABLE, ids=[f"fn{row['number']}" for row in TABLE])
def test_footnote_matches_the_reference_up_to_named_differences(row, rendered):
    assert rendered[row["number"]] == row["r2p"]
    text = row["reference"]
    for name in row["differences"]:
        _, pattern, replacement = DIFFERENCES[name]
        text, count = re.subn(pattern, replacement, text)
        assert count >= 1, f"footnote {row['number']}: difference {name!r} does not apply"
    assert text == row["r2p"], f"footnote {row['number']}: an unnamed difference remains"
