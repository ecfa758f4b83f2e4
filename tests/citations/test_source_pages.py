"""Source library pages, merge, import/export in the browser flow, citation report, rendered footnotes."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import AssessmentItem, Citation, Source
from tests.factories import SourceFactory

DATA = Path(__file__).parents[1] / "data"


def test_library_is_not_public(client, demo):
    for url in [
        reverse("source-list"),
        reverse("source-detail", args=["hrw-2022-south-korea"]),
        reverse("source-export"),
        reverse("citation-report", args=[2022, "KOR"]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("extra", [0, 30])
def test_list_and_search(user_client, demo, extra, django_assert_max_num_queries):
    SourceFactory.create_batch(extra)
    client = user_client("researcher")
    client.get(reverse("source-list"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("source-list"), {"q": "HRW"})
    text = response.content.decode()
    assert "@hrw-2022-south-korea" in text and "@hrw-2020-promote-human-rights" in text
    assert "@freedom-house-2022-south-korea" not in text
    for query, key in [("bangkokpost.com", "nyt-2021-vietnam"), ("Kwok", "kwok-2022-denial"), ("GA/12323", "un-ga")]:
        assert key in client.get(reverse("source-list"), {"q": query}).content.decode()


@pytest.mark.parametrize("extra_citing", [0, 1])
def test_source_detail_lists_every_citing_item(user_client, korea_2022, extra_citing, django_assert_max_num_queries):
    if extra_citing:
        item = korea_2022.items.get(indicator__code="BC-1")
        item.notes += " More.[@usdos-2022-south-korea, p. 9]"
        item.save()
        from assessments.workflow.items import citations_sync

        citations_sync(items=[item], reason="test")
    client = user_client("editor")
    url = reverse("source-detail", args=["usdos-2022-south-korea"])
    client.get(url)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    text = response.content.decode()
    assert "Republic of Korea 2022" in text
    for code in ["IHR-4", "IHR-7", "IHR-10", "DI-1", "DI-3", "DI-4"]:
        assert f"{code} " in text
    assert "U.S Department of State, 2022. <em>2021 Country Reports on Human Rights Practices: South Korea</em>" in text
    assert f"cited {7 + extra_citing} times" in text


def test_source_detail_hides_where_unassigned_assessments_cite_it(user_client, korea_2022):
    """Which items cite a source, and where, is draft text: someone not assigned to Korea 2022 sees a count."""
    text = user_client("reviewer").get(reverse("source-detail", args=["usdos-2022-south-korea"])).content.decode()
    assert "Republic of Korea 2022" in text and "7 citations; you are not assigned to this assessment." in text
    assert "IHR-4 " not in text and korea_2022.get_absolute_url() not in text
    assert "cited 7 times" in text


def test_create_and_edit_with_history(user_client, demo):
    client = user_client("researcher")
    response = client.post(
        reverse("source-create"),
        {
            "key": "ohchr-2023-report",
            "type": "report",
            "organisations": "Office of the High Commissioner for Human Rights",
            "people": "",
            "author_abbreviation": "OHCHR",
            "issued_year": "2023",
            "title": "Annual report",
            "url": "https://www.ohchr.org/en/report",
            "reason": "needed for PM-2",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get(key="ohchr-2023-report")
    assert source.authors == [{"literal": "Office of the High Commissioner for Human Rights"}]
    record = source.history.first()
    assert (record.history_user.username, record.history_change_reason) == ("researcher", "needed for PM-2")

    edit = reverse("source-edit", args=[source.key])
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "accessed"}
    data.update(
        organisations=form.fields["organisations"].initial,
        people="Türk, Volker\nDoe, Jane",
        title="Annual report 2023",
        reason="fix title",
        version=form.fields["version"].initial,
    )
    assert client.post(edit, data).status_code == 302
    source.refresh_from_db()
    assert source.title == "Annual report 2023"
    assert source.authors[1:] == [{"family": "Türk", "given": "Volker"}, {"family": "Doe", "given": "Jane"}]
    assert source.history.first().history_change_reason == "fix title"

    stale = client.post(edit, {**data, "title": "Lost update?"})  # the version token is now out of date
    assert stale.status_code == 200 and "Someone else changed this source" in stale.content.decode()


def test_cited_key_cannot_be_renamed(user_client, korea_2022):
    client = user_client("editor")
    source = Source.objects.get(key="rsf-2022-south-korea")
    form = client.get(reverse("source-edit", args=[source.key])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "accessed"}
    data.update(
        key="rsf-renamed",
        organisations=form.fields["organisations"].initial,
        reason="rename",
        version=form.fields["version"].initial,
    )
    response = client.post(reverse("source-edit", args=[source.key]), data)
    assert response.status_code == 200 and "cannot change" in response.content.decode()
    assert Source.objects.filter(key="rsf-2022-south-korea").exists()


def test_merge_is_post_only_and_for_editors(user_client, korea_2022):
    SourceFactory(key="hrw-dup", title="South Korea: Events of 2021")
    url = reverse("source-merge", args=["hrw-2022-south-korea"])
    assert user_client("editor").get(url).status_code == 405
    assert user_client("researcher").post(url, {"remove": "hrw-dup"}).status_code == 403
    assert Source.objects.filter(key="hrw-dup").exists()


def test_merge_rewrites_notes_and_citations(user_client, korea_2022):
    SourceFactory(key="hrw-dup", title="South Korea: Events of 2021", url="", note="World Report 2022 chapter")
    item = korea_2022.items.get(indicator__code="DI-3")
    item.notes = item.notes.replace("@rsf-2022-south-korea]", "@hrw-dup, p. 2]")
    item.save()
    from assessments.workflow.items import citations_sync

    citations_sync(items=[item], reason="test")
    version = item.version
    response = user_client("editor").post(reverse("source-merge", args=["hrw-2022-south-korea"]), {"remove": "hrw-dup"})
    assert response.status_code == 302
    assert not Source.objects.filter(key="hrw-dup").exists()
    item.refresh_from_db()
    assert "; @hrw-2022-south-korea, p. 2]" in item.notes and "hrw-dup" not in item.notes
    assert item.version == version + 1
    assert not Citation.objects.filter(key="hrw-dup").exists()
    assert Citation.objects.filter(item=item, key="hrw-2022-south-korea").count() == 1
    record = AssessmentItem.history.filter(id=item.pk).first()
    assert record.history_user.username == "editor"
    assert record.history_change_reason == "merge source hrw-dup into hrw-2022-south-korea"
    assert Source.history.filter(key="hrw-dup", history_type="-").exists()
    assert Source.objects.get(key="hrw-2022-south-korea").note == "World Report 2022 chapter"  # empty field filled


def test_import_in_the_browser_dry_run_then_confirm(user_client, demo):
    client = user_client("researcher")
    upload = SimpleUploadedFile("sources.bib", (DATA / "sources.bib").read_bytes())
    response = client.post(reverse("source-import"), {"file": upload})
    text = response.content.decode()
    assert "Dry run" in text and "would create 6" in text and Source.objects.filter(key="bellamy2011").count() == 0
    response = client.post(reverse("source-import"), {"confirm": "1"})
    assert "created 6" in response.content.decode()
    assert Source.objects.get(key="bellamy2011").history.first().history_change_reason == "import sources.bib"
    response = client.post(reverse("source-import"), {"confirm": "1"})  # nothing pending any more
    assert response.status_code == 302


def test_export_is_csl_json(user_client, demo, django_assert_max_num_queries):
    client = user_client("reviewer")
    with django_assert_max_num_queries(5):
        response = client.get(reverse("source-export"))
    entries = json.loads(response.content)
    assert response["Content-Disposition"].startswith('attachment; filename="r2p-sources-')
    hrw = next(entry for entry in entries if entry["id"] == "hrw-2022-south-korea")
    assert hrw["custom"] == {"author-abbreviation": "HRW"} and hrw["issued"] == {"date-parts": [[2022]]}


def test_citation_report_page(user_client, korea_2022, django_assert_max_num_queries):
    client = user_client("editor")
    country_page = client.get(korea_2022.get_absolute_url()).content.decode()
    url = reverse("citation-report", args=[2022, "KOR"])
    assert f'href="{url}"' in country_page
    with django_assert_max_num_queries(9):  # 8 + the user's groups (may they see this assessment's drafts?)
        response = client.get(url)
    text = response.content.decode()
    assert "63 citations of 51 sources" in text and "Every key resolves." in text
    assert "@un-ga-2021-ga12323" in text  # no URL
    assert "@kuzmarov-nd-korean-war" in text  # no year


def test_item_page_shows_footnotes_and_unknown_keys(user_client, korea_2025):
    item = korea_2025.items.get(indicator__code="BC-3")
    item.notes = "A claim.[@hrw-2022-south-korea, p. 4]\nAnother.[@nobody-knows]"
    item.save()
    text = user_client("researcher").get(item.get_absolute_url()).content.decode()
    assert 'id="fn-1"' in text and "Human Rights Watch (HRW), 2022. <em>South Korea: Events of 2021</em>, p. 4" in text
    assert '<code>@nobody-knows</code> <span class="muted">line 2, column 10</span>' in text


def test_nav_has_sources(user_client, demo):
    text = user_client("researcher").get(reverse("source-list")).content.decode()
    assert f'href="{reverse("source-list")}">Sources</a>' in text


@pytest.mark.parametrize(
    ("name", "args"),
    [("source-create", []), ("source-edit", ["hrw-2022-south-korea"]), ("source-import", [])],
)
def test_form_pages_render_in_few_queries(user_client, demo, name, args, django_assert_max_num_queries):
    client = user_client("researcher")
    client.get(reverse(name, args=args))
    with django_assert_max_num_queries(6):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200


@pytest.mark.parametrize("code", ["BC-1", "IHR-10"])
def test_item_page_queries_do_not_grow_with_footnotes(user_client, korea_2022, code, django_assert_max_num_queries):
    item = korea_2022.items.get(indicator__code=code)
    client = user_client("editor")
    client.get(item.get_absolute_url())
    with django_assert_max_num_queries(12):
        response = client.get(item.get_absolute_url())
    assert response.content.decode().count('class="fn-ref"') == (0 if code == "BC-1" else 3)
