"""Staff publishing pages: the Publish section of the country page, the publish POST, draft previews."""

import re

import pytest
from django.urls import reverse

from assessments.models import AssessmentItem, Edition, ItemStatus

from .helpers import json_export

# The country page with its Publish panel (the panel adds: the user's groups, the items and unresolved
# citations for the blockers, and the editions) and the evidence freshness list (the cited sources' dates).
QUERIES_ON_COUNTRY_PAGE = 12


def publish_url(ca):
    return reverse("annex-publish", args=[ca.cycle.year, ca.country.code])


def draft_url(ca, fmt):
    return reverse("annex-draft", args=[ca.cycle.year, ca.country.code, fmt])


def korea(ca, year):
    return ca.country.assessments.select_related("country", "cycle").get(cycle__year=year)


def test_editor_sees_blockers(user_client, korea_unpublished, django_assert_max_num_queries):
    AssessmentItem.objects.filter(country_assessment=korea_unpublished, indicator__code="DI-2").update(
        status=ItemStatus.IN_REVIEW
    )
    client = user_client("editor")
    with django_assert_max_num_queries(16):
        response = client.get(korea_unpublished.get_absolute_url())
    text = response.content.decode()
    assert "Edition 1 cannot be published yet (1 to resolve)" in text
    assert "DI-2 " in text and "in review, not approved" in text
    assert "Publish edition 1</button>" not in text


def test_editor_publishes_from_the_country_page(user_client, korea_unpublished):
    client = user_client("editor")
    text = client.get(korea_unpublished.get_absolute_url()).content.decode()
    assert "Review and publish edition 1</a>" in text and publish_url(korea_unpublished) in text
    assert draft_url(korea_unpublished, "pdf") in text
    confirm = client.get(publish_url(korea_unpublished)).content.decode()
    assert "Publish edition 1</button>" in confirm and 'name="errata"' not in confirm
    response = client.post(publish_url(korea_unpublished), follow=True)
    assert "Published Republic of Korea 2022 as edition 1." in response.content.decode()
    assert Edition.objects.get().number == 1
    confirm = client.get(publish_url(korea_unpublished)).content.decode()
    assert "The text reads as in v1; publishing will be refused." in confirm and 'name="errata"' not in confirm
    korea_unpublished.items.filter(indicator__code="BC-2").update(notes="Strong institutions reduce the risks.")
    confirm = client.get(publish_url(korea_unpublished)).content.decode()
    assert 'name="errata"' in confirm and "Publish edition 2</button>" in confirm
    response = client.post(publish_url(korea_unpublished), {"errata": ""}, follow=True)
    assert "Say what edition 2 corrects" in response.content.decode()
    client.post(publish_url(korea_unpublished), {"errata": "Fixed a typo in BC-2."})
    assert list(Edition.objects.order_by("number").values_list("number", "errata")) == [
        (1, ""),
        (2, "Fixed a typo in BC-2."),
    ]


def test_publish_confirms_first_and_is_for_editors(user_client, korea_unpublished):
    assert user_client("editor").get(publish_url(korea_unpublished)).status_code == 200
    assert user_client("researcher").get(publish_url(korea_unpublished)).status_code == 403
    assert user_client("researcher").post(publish_url(korea_unpublished)).status_code == 403
    assert not Edition.objects.exists()


def test_anonymous_cannot_publish_or_preview(client, korea_unpublished):
    assert client.post(publish_url(korea_unpublished)).status_code == 302
    response = client.get(draft_url(korea_unpublished, "pdf"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Edition.objects.exists()


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "json", "md"])
def test_editor_exports_draft_previews(user_client, korea_unpublished, fmt):
    response = user_client("editor").get(draft_url(korea_unpublished, fmt))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert f"r2p-annex-2022-KOR-draft.{fmt}" in response["Content-Disposition"]
    if fmt == "json":
        assert json_export(response.content)["edition"] is None


def test_assigned_staff_preview_drafts_and_others_do_not(user_client, korea_unpublished):
    korea_2025 = korea(korea_unpublished, 2025)
    assert user_client("researcher").get(draft_url(korea_2025, "html")).status_code == 200
    assert user_client("reviewer").get(draft_url(korea_2025, "md")).status_code == 200
    assert user_client("researcher").get(draft_url(korea_unpublished, "html")).status_code == 403
    text = user_client("researcher").get(korea_unpublished.get_absolute_url()).content.decode()
    assert "publish-panel" not in text
    text = user_client("researcher").get(korea_2025.get_absolute_url()).content.decode()
    assert draft_url(korea_2025, "pdf") in text and "Publish edition" not in text


def test_legacy_assessment_has_no_draft(user_client, korea_unpublished):
    response = user_client("editor").get(draft_url(korea(korea_unpublished, 2019), "pdf"))
    assert response.status_code == 404


def test_country_page_queries_do_not_grow_with_editions(user_client, korea_unpublished, django_assert_num_queries):
    from assessments.publishing.services import annex_publish

    client = user_client("editor")
    client.get(korea_unpublished.get_absolute_url())
    editor = korea_unpublished.items.first().last_edited_by
    annex_publish(country_assessment=korea_unpublished, user=editor)
    with django_assert_num_queries(QUERIES_ON_COUNTRY_PAGE):
        client.get(korea_unpublished.get_absolute_url())
    for number in (2, 3):
        korea_unpublished.items.filter(kind="conclusion").update(notes=f"Conclusion, correction {number}.")
        annex_publish(country_assessment=korea_unpublished, user=editor, errata=f"correction {number}")
    with django_assert_num_queries(QUERIES_ON_COUNTRY_PAGE):
        client.get(korea_unpublished.get_absolute_url())


def test_html_preview_allows_only_its_own_embedded_styles(user_client, korea_unpublished):
    response = user_client("editor").get(draft_url(korea_unpublished, "html"))
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert re.search(r"style-src 'self' 'sha256-[A-Za-z0-9+/=]+'", policy)
    assert "script-src 'self'" in policy


def test_editor_enters_a_publication_date_for_an_archive_edition(user_client, korea_unpublished):
    client = user_client("editor")
    assert 'name="publication_date"' in client.get(publish_url(korea_unpublished)).content.decode()
    response = client.post(publish_url(korea_unpublished), {"publication_date": "31/05/2022"}, follow=True)
    assert "Enter the publication date as YYYY-MM-DD." in response.content.decode()
    client.post(publish_url(korea_unpublished), {"publication_date": "2022-05-31"})
    assert Edition.objects.get().publication_date.isoformat() == "2022-05-31"
