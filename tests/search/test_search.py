"""Search over the demo archive: what is found, by whom, kept current by the write path, shown safely."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from assessments.citations.sources import source_create, source_merge, source_update
from assessments.models import AssessmentItem, Comment, Edition, Source
from assessments.search.backends import MARK_END, MARK_START
from assessments.search.highlight import marked_html
from assessments.search.models import DocumentKind, SearchDocument
from assessments.search.selectors import SearchFilters, search_public, search_sources, search_staff
from assessments.workflow.comments import comment_create

pytestmark = pytest.mark.django_db

CANARY = "Xylophonecanary"


def found(results, kind=None) -> list[SearchDocument]:
    return [hit.document for group in results.groups if kind in (None, group.kind) for hit in group.hits]


def item_of(assessment, slug) -> AssessmentItem:
    return next(item for item in assessment.items.select_related("indicator") if item.slug == slug)


def staff(username: str, text: str, **filters):
    return search_staff(user=User.objects.get(username=username), text=text, filters=SearchFilters(**filters))


def test_demo_is_indexed_and_reindex_rebuilds_the_same(demo, capsys):
    kinds = dict.fromkeys(DocumentKind.values, 0)
    for kind in SearchDocument.objects.values_list("kind", flat=True):
        kinds[kind] += 1
    assert kinds[DocumentKind.ITEM] == 38  # Korea 2022: overview, 36 indicators, conclusion
    assert kinds[DocumentKind.PUBLISHED] == 38  # its published edition
    assert kinds[DocumentKind.SOURCE] == Source.objects.count()
    call_command("search_reindex")
    assert "38 items" in capsys.readouterr().out
    assert SearchDocument.objects.count() == sum(kinds.values())


def test_multi_word_matches_all_words_in_any_order(demo):
    results = staff("editor", "principles kigali")
    notes = found(results, DocumentKind.ITEM)
    assert notes[0].slug == "UN-6"  # "Support the Kigali Principles"
    assert all("kigali" in (doc.title + doc.body).lower() for doc in notes)
    assert not found(staff("editor", "kigali zanzibar"))


def test_phrase_needs_the_words_together(demo, korea_2025, write_notes):
    write_notes(item_of(korea_2025, "BC-1"), "The focal point was named in March.")
    write_notes(item_of(korea_2025, "BC-2"), "A point was made; the focal ministry agreed.")
    loose = {doc.slug for doc in found(staff("editor", "focal point", cycle=2025), DocumentKind.ITEM)}
    assert loose == {"BC-1", "BC-2"}
    exact = [doc.slug for doc in found(staff("editor", '"focal point"', cycle=2025), DocumentKind.ITEM)]
    assert exact == ["BC-1"]
    assert [doc.slug for doc in found(staff("editor", "focal -ministry", cycle=2025))] == ["BC-1"]


def test_filters_narrow_by_cycle_country_area_indicator_rating_and_status(demo, korea_2022, korea_2025, write_notes):
    write_notes(item_of(korea_2025, "UN-6"), "Seoul is reconsidering the Kigali Principles.", rating="fair")
    both = {doc.country_assessment.cycle.year for doc in found(staff("editor", "kigali"), DocumentKind.ITEM)}
    assert both == {2022, 2025}
    assert {d.country_assessment_id for d in found(staff("editor", "kigali", cycle=2025))} == {korea_2025.pk}
    assert found(staff("editor", "kigali", country="kor"))
    assert not found(staff("editor", "kigali", country="JPN"))
    assert {d.slug for d in found(staff("editor", "kigali", indicator="UN-6"))} == {"UN-6"}
    assert not found(staff("editor", "kigali", indicator="BC-1"))
    area = item_of(korea_2022, "UN-6").indicator.thematic_area.code
    assert found(staff("editor", "kigali", area=area))
    assert [d.country_assessment_id for d in found(staff("editor", "kigali", rating="fair"))] == [korea_2025.pk]
    assert [d.country_assessment_id for d in found(staff("editor", "kigali", status="draft"))] == [korea_2025.pk]
    assert [d.country_assessment_id for d in found(staff("editor", "kigali", status="approved"))] == [korea_2022.pk]
    # Sources have none of these: a filter leaves them out; the kind filter keeps one kind.
    assert found(staff("editor", "human rights watch"), DocumentKind.SOURCE)
    assert not found(staff("editor", "human rights watch", cycle=2022), DocumentKind.SOURCE)
    assert {d.kind for d in found(staff("editor", "korea", kind="source"))} == {"source"}


def test_drafts_are_found_only_by_those_who_may_see_them(demo, korea_2025, outsider, write_notes):
    item = write_notes(item_of(korea_2025, "BC-1"), f"Draft mentioning {CANARY}.", username="researcher")
    comment_create(item=item, user=User.objects.get(username="reviewer"), body=f"Comment about {CANARY} too.")
    for username in ("researcher", "reviewer", "editor", "admin"):
        kinds = {doc.kind for doc in found(staff(username, CANARY))}
        assert kinds == {DocumentKind.ITEM, DocumentKind.COMMENT}, username
    assert not found(staff("outsider", CANARY))
    assert not found(search_public(text=CANARY))
    # Nor by a filter that would only count them.
    assert not staff("outsider", CANARY, cycle=2025).groups


def test_outsiders_and_the_public_find_published_text_only(demo, korea_2022, outsider):
    public = found(search_public(text="kigali principles"))
    assert [(doc.kind, doc.slug) for doc in public] == [(DocumentKind.PUBLISHED, "UN-6")]
    assert public[0].rating == "very_weak"
    assert [d.kind for d in found(search_public(text="kigali", filters=SearchFilters(rating="very_weak")))] == [
        DocumentKind.PUBLISHED
    ]
    assert not found(search_public(text="kigali", filters=SearchFilters(rating="strong")))
    assert not found(search_public(text="human rights watch report"), DocumentKind.SOURCE)
    outsider_kinds = {doc.kind for doc in found(staff("outsider", "kigali"))}
    assert outsider_kinds == {DocumentKind.PUBLISHED}
    editor_kinds = {doc.kind for doc in found(staff("editor", "kigali"))}
    assert editor_kinds == {DocumentKind.ITEM}  # editors see the notes themselves, not their published copy


def test_the_index_follows_every_write(demo, korea_2025, write_notes):
    editor = User.objects.get(username="editor")
    item = write_notes(item_of(korea_2025, "BC-1"), "Mentions the Quokkaword here.")
    assert found(staff("editor", "quokkaword"))
    write_notes(item, "Now about something else.")
    assert not found(staff("editor", "quokkaword"))
    write_notes(item, "")
    assert not SearchDocument.objects.filter(kind=DocumentKind.ITEM, item=item).exists()

    source = source_create(user=editor, key="un-2024-p1", title="Pangolin report", authors=[])
    assert [d.source_id for d in found(staff("editor", "pangolin"))] == [source.pk]
    source_update(source=source, user=editor, reason="retitled", changes={"title": "Armadillo report"})
    assert not found(staff("editor", "pangolin report"))
    assert found(staff("editor", "armadillo"))
    duplicate = source_create(user=editor, key="un-2024-p2", title="Armadillo report (copy)", authors=[])
    source_merge(keep=source, remove=duplicate, user=editor)
    assert [d.source_id for d in found(staff("editor", "armadillo"))] == [source.pk]

    comment = comment_create(item=item, user=editor, body="Check the Wombatword figure.")
    assert [d.comment_id for d in found(staff("editor", "wombatword"))] == [comment.pk]
    Comment.objects.filter(pk=comment.pk).delete()
    assert not found(staff("editor", "wombatword"))


def test_a_new_edition_replaces_the_old_in_the_public_search(demo, korea_2022):
    from assessments.publishing.services import annex_publish
    from assessments.workflow.services import item_approve, item_reopen, item_submit

    editor, admin = User.objects.get(username="editor"), User.objects.get(username="admin")
    item = item_of(korea_2022, "UN-6")
    item_reopen(item=item, user=editor, reason="correction")
    item.refresh_from_db()
    from assessments.workflow.services import item_update

    item = item_update(item=item, user=editor, expected_version=item.version, notes="Now supports the Okapiword.")
    item_submit(item=item, user=editor)
    item_approve(item=item, user=admin)
    annex_publish(country_assessment=korea_2022, user=editor, errata="UN-6 corrected.")
    assert Edition.objects.filter(country_assessment=korea_2022).count() == 2
    assert [d.edition.number for d in found(search_public(text="okapiword"))] == [2]
    assert {doc.edition.number for doc in found(search_public(text="kigali"))} == {2}  # v1 left the index
    assert SearchDocument.objects.filter(kind=DocumentKind.PUBLISHED).count() == 38


def test_snippets_are_escaped_then_marked(demo, korea_2025, user_client, write_notes):
    write_notes(item_of(korea_2025, "BC-1"), "<script>alert(1)</script> the Lemurword & <b>bold</b> claim")
    response = user_client("editor").get(reverse("search"), {"q": "lemurword"})
    html = response.content.decode()
    assert "<script>alert(1)" not in html and "<b>bold</b>" not in html
    assert "<mark>Lemurword</mark>" in html
    # The rule itself: escape everything, then turn only the engine's marks into <mark>.
    marked = marked_html(f"<b>x</b> & {MARK_START}<i>y</i>{MARK_END} {MARK_START}cut")
    assert marked == "&lt;b&gt;x&lt;/b&gt; &amp; <mark>&lt;i&gt;y&lt;/i&gt;</mark> <mark>cut</mark>"


def test_staff_search_page(demo, korea_2025, user_client, write_notes, django_assert_max_num_queries):
    write_notes(item_of(korea_2025, "BC-1"), "The Kigali Principles came up in 2025.", username="researcher")
    client = user_client("researcher")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("search"), {"q": "kigali principles"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'id="results-item"' in html and 'id="results-published"' in html
    assert reverse("item-edit", args=[2025, "KOR", "BC-1"]) in html
    assert "/annex/2022/KOR/#indicator-UN-6" in html  # the researcher is not assigned to 2022: the published text
    partial = client.get(reverse("search"), {"q": "kigali"}, headers={"HX-Request": "true"})
    assert partial.content.decode().startswith('<section id="search-results"')
    assert client.get(reverse("search"), {"q": "kigali", "cycle": "not-a-year"}).status_code == 200


def test_public_search_page(demo, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("public:search"), {"q": '"rome statute"'})
    html = response.content.decode()
    assert response.status_code == 200
    assert "IHR-2" in html and "<mark>Rome" in html
    assert 'name="status"' not in html
    assert client.get(reverse("public:search")).status_code == 200


def test_header_search_box_on_every_page(demo, client, user_client):
    assert f'action="{reverse("public:search")}"' in client.get(reverse("public:annex-list")).content.decode()
    assert f'action="{reverse("search")}"' in user_client("researcher").get(reverse("dashboard")).content.decode()


def test_source_search_is_ranked_multi_word_and_prefix(demo):
    keys = [hit.document.source.key for hit in search_sources(text="hrw 2022")]
    assert keys and keys[0].startswith("hrw-2022")
    typed = [hit.document.source.key for hit in search_sources(text="human rights wat")]  # still typing
    assert "hrw-2022-south-korea" in typed and all(
        "Human Rights Watch" in Source.objects.get(key=k).author_text for k in typed[:3]
    )
    assert not search_sources(text="")


def test_source_picker_uses_the_search(demo, user_client, django_assert_max_num_queries):
    client = user_client("researcher")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("source-picker"), {"q": "hrw 2022"})  # was: whole phrase only, found nothing
    html = response.content.decode()
    assert 'role="listbox"' in html and 'role="option"' in html
    first = html.index("data-cite-key=")
    assert html[first:].startswith('data-cite-key="hrw-2022')
    assert 'aria-selected="true"' in html
    typed = client.get(reverse("source-picker"), {"q": "watch human"}).content.decode()  # any order
    assert "data-cite-key=" in typed
    assert "No source matches" in client.get(reverse("source-picker"), {"q": "zzzqqq"}).content.decode()
