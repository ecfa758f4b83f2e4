"""The reference Korea 2022 annex text against the demo data transcribed from the same annex."""

import pytest

from assessments.archive.services import annex_parse
from assessments.demo.loader import demo_annex
from assessments.models import Country, Cycle

# Where the parsed text and the demo transcription differ, and why (everything else is identical):
KNOWN_DIFFERENCES = {
    # The demo transcription types the apostrophes of two locators of footnote 17 as typographic quotes
    # ('Women’s and girls’ rights', 'Women and Girls’ Rights'); the PDF text has straight ones. The importer
    # keeps what the original prints.
    "IHR-10": ("Women's and girls' rights", "Women’s and girls’ rights"),
}


@pytest.fixture
def parsed(demo, reference_text):
    cycle = Cycle.objects.select_related("previous").get(year=2022)
    return annex_parse(cycle=cycle, country=Country.objects.by_code("KOR"), text=reference_text)


def test_title_score_block_and_narrative(parsed):
    annex = demo_annex()
    assert (parsed.country_name, parsed.cycle_year) == ("Republic of Korea", 2022)
    assert (parsed.score, parsed.previous_year, parsed.previous_score, parsed.difference) == (73, 2019, 74, -1)
    assert parsed.overview == annex["overview"].strip()
    assert parsed.conclusion == annex["conclusion"].strip()
    assert len(parsed.summary) == 36 and len(parsed.footnotes) == 39


def test_ratings_trends_and_notes_match_the_demo_data(parsed):
    rows = {row.code: row for row in parsed.rows}
    assert len(rows) == 36
    for expected in demo_annex()["indicators"]:
        row = rows[expected["code"]]
        assert (row.rating, row.trend) == (expected["rating"], expected["trend"]), expected["code"]
        notes = expected["notes"].strip()
        if expected["code"] in KNOWN_DIFFERENCES:
            printed, transcribed = KNOWN_DIFFERENCES[expected["code"]]
            assert printed in row.notes and transcribed in notes
            notes = notes.replace(transcribed, printed).replace("Women and Girls’ Rights", "Women and Girls' Rights")
        assert row.notes == notes, expected["code"]


def test_every_footnote_cites_library_sources_and_nothing_new(parsed):
    assert parsed.new_sources == {}
    assert parsed.footnotes[17].keys[0] == "usdos-2022-south-korea"  # "Ibid." → footnote 16's source
    assert parsed.footnotes[21].markup.startswith("^[There is also the recent criminalisation")  # prose kept
    assert parsed.footnotes[15].markup == "[@apgml-2020-korea-mer, pp. 4–5]"  # "p. 4 – 5" in house style
    assert parsed.footnotes[26].keys == ["un-ga-2021-ga12323"]  # a UN document without author-year form


def test_damage_of_the_pdf_conversion_is_repaired_and_flagged(parsed):
    messages = {(flag.where, flag.message.split(":")[0].split(";")[0]) for flag in parsed.uncertain}
    assert ("footnote 20", "the footnote continued after a page break") in messages  # tail below the table
    assert ("UN-5", "a page break split this row") in messages  # "including through the training …" row
    assert ("BMR-2", "text found below the footnotes of a page was joined to this row's notes") in messages
    assert any(flag.where == "DI-3" and "summary table prints" in flag.message for flag in parsed.uncertain)
    # The original is consistent: the score, the difference and the trends (Korea 2019 has only a score).
    assert parsed.inconsistencies == []


def test_imported_footnotes_render_in_house_style_as_the_demo_annex(demo, reference_text):
    """Imported as Japan 2022 next to the demo's Korea 2022: the 39 footnotes render the same house-style text."""
    from django.contrib.auth import get_user_model

    from assessments.archive.services import country_assessment_import_archive
    from assessments.citations.render import render_annex
    from assessments.models import AssessmentItem

    User = get_user_model()  # noqa: N806

    cycle = Cycle.objects.select_related("previous").get(year=2022)
    japan = Country.objects.by_code("JPN")
    parsed = annex_parse(cycle=cycle, country=japan, text=reference_text)
    imported = country_assessment_import_archive(
        parsed=parsed, country=japan, cycle=cycle, user=User.objects.get(username="editor"), file_name="kor.txt"
    )

    def footnotes(country_code):
        items = AssessmentItem.objects.filter(
            country_assessment__country__code=country_code, country_assessment__cycle=cycle
        ).in_reading_order()
        return [footnote.markdown for footnote in render_annex(list(items)).footnotes]

    ours, demo_footnotes = footnotes("JPN"), footnotes("KOR")
    assert imported.items.count() == 38 and len(ours) == len(demo_footnotes) == 39
    differing = [number for number, (a, b) in enumerate(zip(ours, demo_footnotes, strict=True), 1) if a != b]
    assert differing == [17]  # the straight vs typographic apostrophes of KNOWN_DIFFERENCES["IHR-10"]
