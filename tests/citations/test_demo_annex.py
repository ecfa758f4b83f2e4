"""The Korea 2022 demo annex renders the reference annex's 39 footnotes, numbered in reading order.

The comparison strips URLs (the reference prints some bare, some in angle brackets) and allows only the
printing quirks the transcriber listed, each applied to the reference text below and explained there.
"""

import json
import re
from pathlib import Path

import pytest

from assessments.citations.pages import annex_render
from assessments.citations.render import render_annex
from assessments.models import Citation

REFERENCE = json.loads((Path(__file__).parents[1] / "data" / "reference_footnotes.json").read_text(encoding="utf-8"))

# Printing quirks of the reference annex; r2p prints the house style consistently instead.
REFERENCE_QUIRKS = {
    2: [(r"(?<!\.)$", ".")],  # the printed footnote 2 lacks its final full stop
    5: [(r"\?'\.", "?'")],  # "…North Korea?'." — elsewhere (20, 31) printed "?'" without a second stop
    15: [(r"p\. 4 – 5", "pp. 4–5")],  # stored as typed by the researcher: pp. 4–5
    17: [(r"^Ibid\., ", "Ibid.; ")],  # several citations in a footnote are joined with "; "
    21: [(r"';$", "'.")],  # the printed footnote 21 ends with a stray semicolon
}


def without_urls(text: str) -> str:
    text = re.sub(r"<https?://[^>]*>", "URL", text)
    return re.sub(r"https?://\S+?(?=[.;]?(?:\s|$))", "URL", text)


def straight_quotes(text: str) -> str:
    return text.translate(str.maketrans({"‘": "'", "’": "'"}))


def reference(number: int) -> str:
    text = REFERENCE[number - 1]["text"]
    assert REFERENCE[number - 1]["number"] == number
    for pattern, replacement in REFERENCE_QUIRKS.get(number, []):
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"quirk of footnote {number} not found; update REFERENCE_QUIRKS"
    return without_urls(text)


@pytest.fixture
def rendered(korea_2022):
    items = list(korea_2022.items.in_reading_order())
    return items, annex_render(items, cycle=korea_2022.cycle)


def test_39_footnotes_numbered_in_reading_order(rendered):
    items, annex = rendered
    assert [footnote.number for footnote in annex.footnotes] == list(range(1, 40))
    numbers = [number for item in items for number in annex.notes[item.pk].footnote_numbers]
    assert numbers == list(range(1, 40))
    assert annex.unknown_keys == []
    by_code = {item.slug: annex.notes[item.pk] for item in items}
    assert by_code["BC-3"].footnote_numbers == [1, 2, 3]
    assert by_code["UN-7"].footnote_numbers == [38, 39]
    assert '<sup class="fn-ref" id="fnref-4"><a href="#fn-4"' in by_code["PM-1"].html


def test_footnotes_1_to_13_match_the_reference_wording(rendered):
    _, annex = rendered
    differences = [
        (number, ours, reference(number))
        for number in range(1, 14)
        if (ours := without_urls(annex.footnotes[number - 1].markdown)) != reference(number)
    ]
    assert differences == []


def test_footnotes_14_to_39_match_up_to_quote_marks(rendered):
    """The reference mixes ‘curly’ and 'straight' quotes around article titles; r2p prints straight ones."""
    _, annex = rendered
    differences = [
        (number, ours, reference(number))
        for number in range(14, 40)
        if (ours := straight_quotes(without_urls(annex.footnotes[number - 1].markdown)))
        != straight_quotes(reference(number))
    ]
    assert differences == []


def test_footnote_urls_are_links(rendered):
    _, annex = rendered
    html = annex.footnotes[3].html
    assert html.startswith("Global Centre for the Responsibility to Protect (GCR2P), 2020. <em>Members of")
    assert (
        '&lt;<a href="https://www.globalr2p.org/resources/members-of-the-global-network-of-r2p-focal-points/"' in html
    )
    assert annex.footnotes[16].text.startswith("Ibid.; Freedom House, 2022. Freedom in the World 2022: South Korea,")


def test_ibid_follows_the_cycle_setting(korea_2022):
    items = list(korea_2022.items.in_reading_order())
    korea_2022.cycle.ibid_enabled = False
    annex = annex_render(items, cycle=korea_2022.cycle)
    assert annex.footnotes[16].text.startswith(
        "U.S Department of State, 2022. 2021 Country Reports on Human Rights Practices: South Korea, "
        "'Section 6. Discrimination and Societal Abuses: Women'; Freedom House"
    )
    assert not any(footnote.text.startswith("Ibid") for footnote in annex.footnotes)


def test_rendering_the_annex_takes_one_query_for_all_sources(korea_2022, django_assert_num_queries):
    items = list(korea_2022.items.in_reading_order())
    with django_assert_num_queries(1):
        annex_render(items, cycle=korea_2022.cycle)
    sources = {}
    with django_assert_num_queries(0):
        unresolved = render_annex(items, sources=sources)
    citations = Citation.objects.filter(item__country_assessment=korea_2022).count()
    assert len(unresolved.unknown_keys) == citations == 63 and len(unresolved.footnotes) == 39
