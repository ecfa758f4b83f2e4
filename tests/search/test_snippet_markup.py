"""Search snippets show notes as read, never the citation markup typed into them (`[@key]`, `^[…]`)."""

from django.urls import reverse

from assessments.search.highlight import notes_readable


def test_citations_and_inline_footnotes_read_as_text():
    assert notes_readable("with GANHRI,[@ganhri-2022-chart, p. 3] signifying") == (
        "with GANHRI,(ganhri-2022-chart, p. 3) signifying"
    )
    assert notes_readable("countries.^[[@a-2022; @b-2022] See also: [@c, 'Policy']] More") == (
        "countries.((a-2022; b-2022) See also: (c, 'Policy')) More"
    )
    assert notes_readable("the pandemic.[@apf…") == "the pandemic.…"  # a snippet cut inside a citation


def test_search_page_shows_no_citation_markup(demo, user_client):
    text = user_client("editor").get(reverse("search"), {"q": "hrw"}).content.decode()
    snippets = text.split('class="search-snippet"')[1:]
    assert snippets
    assert not any("[@" in snippet.split("</p>")[0] for snippet in snippets)
