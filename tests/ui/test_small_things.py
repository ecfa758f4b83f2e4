"""The small things of issue 17, each with its test: citations rendered wherever notes are shown, source dates,
a favicon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from assessments.models import Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_source_dates_read_as_dates_and_never_nd_twice():
    source = SourceFactory.build(issued_year=2024, issued_month=2, issued_day=7)
    assert source.issued_display == "7 February 2024"  # was "7 2/2024"
    assert SourceFactory.build(issued_year=2024, issued_month=2, issued_day=None).issued_display == "February 2024"
    undated = SourceFactory.build(issued_year=None, issued_month=None, issued_day=None, title="Undated")
    assert undated.issued_display == "n.d." and undated.year_stop == "n.d."
    assert "n.d.." not in str(undated) and "n.d. Undated" in str(undated)
    assert SourceFactory.build(issued_year=2022).year_stop == "2022."


def test_source_pages_show_the_date(demo, user_client):
    source = Source.objects.filter(issued_year__isnull=False).first()
    Source.objects.filter(pk=source.pk).update(issued_month=2, issued_day=7)
    html = user_client("editor").get(reverse("source-detail", args=[source.key])).content.decode()
    assert f"7 February {source.issued_year}" in html and "7 2/" not in html


def test_picker_and_preview_never_print_nd_twice(demo, user_client):
    Source.objects.create(key="undated-zebra", title="Zebra crossings", authors=[], author_abbreviation="ZZ")
    from assessments.search.services import search_index_update

    search_index_update(sources=Source.objects.filter(key="undated-zebra"))
    client = user_client("researcher")
    picker = client.get(reverse("source-picker"), {"q": "zebra"}).content.decode()
    assert "ZZ, n.d. <em>" in picker and "n.d.." not in picker
    preview = client.post(reverse("item-preview", args=[2025, "KOR", "BC-1"]), {"notes": "Text [@undated-zebra]."})
    assert "n.d.." not in preview.content.decode()


def test_citations_are_rendered_wherever_notes_are_shown(demo, user_client, django_assert_max_num_queries):
    client = user_client("editor")
    pages = {
        "previous-cycle panel": reverse("item-edit", args=[2025, "KOR", "IHR-4"]),
        "country page": reverse("country-assessment", args=[2022, "KOR"]),
        "staff indicator view": reverse("cycle-indicator", args=[2022, "IHR-4"]),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert not re.search(r"\[@(?!key\]|key,|a;)", html), name  # no raw citation markup (the help text aside)
        if name != "country page":  # (the demo's overview and conclusion cite nothing)
            assert 'class="fn-ref"' in html and "note-footnotes" in html, name
            assert "Human Rights Watch" in html or "HRW" in html, name
    with django_assert_max_num_queries(30):
        client.get(pages["staff indicator view"])


def test_favicon_is_linked_and_served(demo, client):
    html = client.get(reverse("public:annex-list")).content.decode()
    assert 'rel="icon" href="/static/r2p/favicon.svg"' in html
    assert finders.find("r2p/favicon.svg")


def test_editor_links_to_the_previous_and_next_item(demo, user_client, django_assert_max_num_queries):
    client = user_client("researcher")
    html = client.get(reverse("item-edit", args=[2025, "KOR", "BC-2"])).content.decode()
    assert f'href="{reverse("item-edit", args=[2025, "KOR", "BC-1"])}" rel="prev"' in html
    assert f'href="{reverse("item-edit", args=[2025, "KOR", "BC-3"])}" rel="next"' in html
    first = client.get(reverse("item-edit", args=[2025, "KOR", "overview"])).content.decode()
    assert 'rel="prev"' not in first and "1 of 38" in first
    last = client.get(reverse("item-edit", args=[2025, "KOR", "conclusion"])).content.decode()
    assert 'rel="next"' not in last and "38 of 38" in last


def test_one_version_number_on_the_item_and_in_its_history(demo, user_client):
    from django.contrib.auth.models import User

    from assessments.models import AssessmentItem
    from assessments.workflow.services import item_submit, item_update

    researcher = User.objects.get(username="researcher")
    item = AssessmentItem.objects.get(country_assessment__cycle__year=2025, indicator__code="BC-1")
    item = item_update(item=item, user=researcher, expected_version=item.version, notes="Draft.", rating="fair")
    item_submit(item=item, user=researcher)  # a change in the history, not a new version
    item.refresh_from_db()
    client = user_client("researcher")
    editor = client.get(reverse("item-edit", args=[2025, "KOR", "BC-1"])).content.decode()
    history = client.get(reverse("item-history", args=[2025, "KOR", "BC-1"])).content.decode()
    assert f"Version {item.version}" in editor
    assert f"Compare from version {item.version}, change 3" in history
    assert "Revision" not in history.replace("Revisions", "")
