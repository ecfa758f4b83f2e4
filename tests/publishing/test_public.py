"""The public site: published editions only, no login, downloads and edition history; drafts are 404."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from assessments.demo.loader import demo_load
from assessments.models import Country, Edition
from assessments.publishing.services import annex_publish
from tests.factories import make_country_assessment

from .helpers import json_export

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


@pytest.fixture
def published(korea_2022) -> Edition:
    """The demo publishes Korea 2022 as edition 1."""
    return Edition.objects.get(country_assessment=korea_2022)


def annex_url(year=2022, code="KOR", number=None):
    if number is None:
        return reverse("public:annex", args=[year, code])
    return reverse("public:annex-edition", args=[year, code, number])


def download_url(fmt, year=2022, code="KOR", number=1):
    return reverse("public:annex-download", args=[year, code, number, fmt])


def publish_more(cycle, codes):
    """Publish empty-but-approved assessments of other countries (enough for the list and query counts)."""
    editor = User.objects.get(username="editor")
    for code in codes:
        assessment = make_country_assessment(country=Country.objects.get(code=code), cycle=cycle)
        assessment.items.update(status="approved", notes="Text.")
        assessment.items.filter(kind="indicator").update(rating="fair", trend="unchanged")
        annex_publish(country_assessment=assessment, user=editor)


def test_demo_publishes_korea_2022_as_v1(published):
    assert published.number == 1
    assert published.published_by.username == "editor"
    assert published.history.get().history_change_reason == "demo load"
    assert published.snapshot["score"] == 73
    assert "Republic of Korea 2022 published" not in " ".join(demo_load().created)  # idempotent
    assert Edition.objects.count() == 1


def test_list_shows_published_annexes_by_cycle(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("public:annex-list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="cycle-2022"' in text and "Republic of Korea" in text
    assert annex_url() in text and download_url("pdf") in text
    assert 'id="cycle-2025"' not in text and 'id="cycle-2019"' not in text


@pytest.mark.parametrize("extra", [0, 4])
def test_public_pages_query_count_is_constant(client, published, extra, django_assert_num_queries):
    publish_more(published.country_assessment.cycle, ["AUS", "NZL", "JPN", "IDN"][:extra])
    with django_assert_num_queries(1):
        client.get(reverse("public:annex-list"))
    with django_assert_num_queries(3):  # the edition, its history, its files ready
        client.get(annex_url())
    client.get(download_url("json"))  # the first request enqueues the rendering (run at once in tests)
    with django_assert_num_queries(2):  # the edition, its stored file: no rendering
        client.get(download_url("json"))


def test_annex_page_shows_the_edition_downloads_and_history(client, published):
    response = client.get(annex_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "UPDATED ASSESSMENT OF R2P IMPLEMENTATION 2022" in text
    assert "Republic of Korea 2022 Score: <strong>73</strong>" in text
    for fmt in FORMATS:
        assert download_url(fmt) in text
    assert "Edition 1" in text and "annex.css" in text
    # no staff data: statuses, users, staff links
    for staff_only in ("status-approved", "Eda Editor", "editor@example.org", "/cycles/", "Publish edition"):
        assert staff_only not in text


def test_correction_edition_history_and_errata(client, published):
    editor = User.objects.get(username="editor")
    published.country_assessment.items.filter(indicator__code="BC-3").update(rating="strong")
    annex_publish(country_assessment=published.country_assessment, user=editor, errata="Corrected the rating of BC-3.")
    text = client.get(annex_url()).content.decode()
    assert "Errata (edition 2)" in text and "Corrected the rating of BC-3." in text
    assert annex_url(number=1) in text
    old = client.get(annex_url(number=1)).content.decode()
    assert "This is edition 1." in old and "Errata (edition 2)" not in old


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_downloads(client, published, fmt):
    response = client.get(download_url(fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt]
    assert f"r2p-annex-2022-KOR-v1.{fmt}" in response["Content-Disposition"]
    assert response["ETag"] == f'"{published.content_hash}-{fmt}"'
    assert client.get(download_url(fmt), headers={"If-None-Match": response["ETag"]}).status_code == 304
    if fmt == "json":
        data = json_export(response.content)
        assert (data["edition"], data["score"], data["previous_score"], data["score_change"]) == (1, 73, 74, -1)
        assert [len(group["indicators"]) for group in data["summary"]] == [14, 11, 8, 0, 3]
        assert len(data["indicators"]) == 36


@pytest.mark.parametrize(
    "url",
    [
        annex_url(2025, "KOR"),
        annex_url(2022, "KOR", 2),
        annex_url(2019, "KOR"),
        annex_url(2022, "JPN"),
        download_url("pdf", 2025, "KOR", 1),
        download_url("json", 2022, "KOR", 2),
    ],
)
def test_unpublished_is_404(client, demo, url):
    assert client.get(url).status_code == 404


def test_drafts_are_not_public(client, demo):
    response = client.get(reverse("annex-draft", args=[2025, "KOR", "pdf"]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get("/annex/2022/KOR/v1.rtf").status_code == 404
    assert client.get("/annex/2022/KOR/draft.pdf").status_code == 404


def test_nothing_published_yet(client, db):
    response = client.get(reverse("public:annex-list"))
    assert response.status_code == 200 and "Nothing has been published yet." in response.content.decode()


def test_annex_page_has_one_h1_how_to_cite_and_highwire_tags(client, published, django_assert_num_queries):
    with django_assert_num_queries(3):  # the edition, the editions list, its stored files
        response = client.get(annex_url())
    text = response.content.decode()
    assert text.count("<h1") == 1 and '<h1 class="annex-country">REPUBLIC OF KOREA</h1>' in text
    page = f"http://testserver{annex_url(number=1)}"
    assert (
        "Asia-Pacific Centre for the Responsibility to Protect, 2022. <em>Republic of Korea: Updated Assessment "
        f'of R2P Implementation 2022</em>, edition 1, 31 May 2022, &lt;<a href="{page}">{page}</a>&gt;.'
    ) in text
    for name, value in [
        ("citation_title", "Republic of Korea: Updated Assessment of R2P Implementation 2022"),
        ("citation_author", "Asia-Pacific Centre for the Responsibility to Protect"),
        ("citation_technical_report_institution", "Asia-Pacific Centre for the Responsibility to Protect"),
        ("citation_publication_date", "2022/05/31"),
        ("citation_pdf_url", f"http://testserver{download_url('pdf')}"),
        ("citation_language", "en-AU"),
    ]:
        assert f'<meta name="{name}" content="{value}">' in text, name


def test_demo_edition_is_dated_in_2022_and_links_to_the_methodology(published):
    assert published.publication_date.isoformat() == "2022-05-31"
    assert published.published_at.date() > published.publication_date  # recorded today, dated as published
    html = published.html
    assert "Edition 1, published 31 May 2022" in html
    assert html.count('href="https://r2pasiapacific.org/responsibility-protect-asia-pacific"') == 2
    cycle = published.country_assessment.cycle
    assert cycle.methodology_url and cycle.regional_report_url


def test_an_edition_frozen_without_h1_gets_one_on_the_page(client, published):
    from django.db import connection

    with connection.cursor() as cursor:  # simulate an edition frozen before the annex had its H1
        cursor.execute(
            "UPDATE assessments_edition SET html = REPLACE(html, '<h1 class=\"annex-country\">', '<p class=\"x\">')"
        )
    text = client.get(annex_url()).content.decode()
    assert text.count("<h1") == 1 and '<h1 class="visually-hidden">' in text
