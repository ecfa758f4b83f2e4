"""The conflict screen merges paragraph by paragraph against the version both people started from."""

from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import drafted, editor_form, fresh


def url(item, name="item-edit"):
    return reverse(name, args=[item.country_assessment.cycle.year, "KOR", item.slug])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_conflict_merges_paragraphs_and_shows_conflicts_side_by_side(item, people):
    item = drafted(item, people["researcher"], notes="Intro.\n\nMiddle.\n\nEnd.")
    opened = editor_form(item)
    theirs = {**opened, "notes": "Intro, theirs.\n\nMiddle by them.\n\nEnd."}
    assert logged_in(people["researcher"]).post(url(item), theirs).status_code == 302

    response = logged_in(people["editor"]).post(url(item), {**opened, "notes": "Intro.\n\nMiddle by me.\n\nEnd, mine."})
    assert response.status_code == 409
    text = response.content.decode()
    assert "1 paragraph changed on both sides" in text
    form = response.context["form"]
    # Their change to the intro and mine to the end are merged; the conflict defaults to mine: no paragraph twice.
    assert form["notes"].value() == "Intro, theirs.\n\nMiddle by me.\n\nEnd, mine."
    assert 'data-theirs="Middle by them."' in text and 'data-mine="Middle by me."' in text
    assert "Append their text to mine" not in text
    assert fresh(item).notes == "Intro, theirs.\n\nMiddle by them.\n\nEnd."
