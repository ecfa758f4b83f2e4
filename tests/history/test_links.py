"""The links partial other pages include to reach the history pages."""

from django.template.loader import render_to_string


def test_links_for_an_item_and_an_assessment(item, korea_2025):
    html = render_to_string("history/_links.html", {"item": item})
    assert 'href="/cycles/2025/KOR/BC-1/history/"' in html
    assert 'href="/cycles/2025/KOR/BC-1/history/since-approval/"' in html
    html = render_to_string("history/_links.html", {"assessment": korea_2025})
    assert 'href="/cycles/2025/KOR/activity/"' in html


def test_links_for_a_narrative_item(korea_2025):
    overview = korea_2025.items.get(kind="overview")
    assert 'href="/cycles/2025/KOR/overview/history/"' in render_to_string("history/_links.html", {"item": overview})
