"""The publish gate, editions, and the immutability of published editions."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError

from assessments.models import AssessmentItem, Citation, Edition, ItemStatus
from assessments.publishing.annex import AnnexData, annex_build, content_hash
from assessments.publishing.exports import FORMATS, annex_export, edition_export
from assessments.publishing.models import EditionImmutable
from assessments.publishing.services import annex_publish, can_preview_draft, publish_blockers
from assessments.workflow.items import citations_sync
from tests.factories import UserFactory

from .helpers import docx_footnotes


@pytest.fixture
def editor(korea_unpublished):
    return User.objects.get(username="editor")


def set_status(country_assessment, code: str, status: str) -> AssessmentItem:
    item = (
        country_assessment.items.get(indicator__code=code) if "-" in code else country_assessment.items.get(kind=code)
    )
    item.status = status
    item.save()
    return item


def test_publishing_is_blocked_until_everything_is_approved(korea_unpublished, editor):
    set_status(korea_unpublished, "BC-1", ItemStatus.IN_REVIEW)
    set_status(korea_unpublished, "overview", ItemStatus.DRAFT)
    set_status(korea_unpublished, "conclusion", ItemStatus.CHANGES_REQUESTED)
    blockers = publish_blockers(korea_unpublished)
    assert blockers == [
        "Overview: draft, not approved",
        "Conclusion: changes requested, not approved",
        "BC-1 Protection of populations from atrocity crimes: in review, not approved",
    ]
    with pytest.raises(ValidationError) as raised:
        annex_publish(country_assessment=korea_unpublished, user=editor)
    assert "BC-1 Protection of populations from atrocity crimes: in review, not approved" in raised.value.messages
    assert not Edition.objects.exists()

    for slug in ("BC-1", "overview", "conclusion"):
        set_status(korea_unpublished, slug, ItemStatus.APPROVED)
    assert publish_blockers(korea_unpublished) == []
    edition = annex_publish(country_assessment=korea_unpublished, user=editor)
    assert edition.number == 1 and edition.published_by == editor
    assert edition.content_hash == content_hash(edition.snapshot)
    assert edition.snapshot["edition"] == 1 and edition.snapshot["score"] == 73
    record = edition.history.get()
    assert (record.history_user, record.history_change_reason) == (editor, "published v1")


def test_unknown_citation_keys_block_publishing(korea_unpublished):
    item = korea_unpublished.items.get(indicator__code="PM-1")
    item.notes += " More.[@no-such-source]"
    item.save()
    citations_sync(items=[item], reason="test")
    assert publish_blockers(korea_unpublished) == [
        "PM-1 Appoint national R2P Focal Point: citation key @no-such-source is not in the source library"
    ]


def test_legacy_assessment_cannot_be_published(korea_unpublished):
    legacy = korea_unpublished.cycle.previous.country_assessments.get(country=korea_unpublished.country)
    assert publish_blockers(legacy) == ["This assessment has no items to publish (it holds a legacy score only)."]


@pytest.mark.parametrize("role", ["Researcher", "Reviewer"])
def test_only_editors_and_admins_publish(korea_unpublished, role):
    with pytest.raises(PermissionDenied):
        annex_publish(country_assessment=korea_unpublished, user=UserFactory(role=role))
    admin = User.objects.get(username="admin")
    assert annex_publish(country_assessment=korea_unpublished, user=admin).number == 1


def test_a_correction_is_a_new_edition_with_errata(korea_unpublished, editor):
    first = annex_publish(country_assessment=korea_unpublished, user=editor)
    with pytest.raises(ValidationError):
        annex_publish(country_assessment=korea_unpublished, user=editor)  # no errata
    with pytest.raises(ValidationError) as unchanged:
        annex_publish(country_assessment=korea_unpublished, user=editor, errata="Nothing really.")
    assert unchanged.value.messages == ["The annex reads exactly as v1: there is nothing for a new edition to correct."]
    korea_unpublished.items.filter(indicator__code="PM-1").update(notes="South Korea maintains its Focal Point.")
    second = annex_publish(
        country_assessment=korea_unpublished, user=editor, errata="Corrected the date of footnote 4."
    )
    assert (first.number, second.number) == (1, 2)
    assert "Corrected the date of footnote 4." in second.html and "Errata (edition 2)" in second.html
    assert "Errata" not in first.html
    with pytest.raises(ValidationError):
        annex_publish(country_assessment=korea_unpublished, user=editor, errata="")


def test_first_edition_has_no_errata(korea_unpublished, editor):
    with pytest.raises(ValidationError):
        annex_publish(country_assessment=korea_unpublished, user=editor, errata="nothing to correct")


def test_published_editions_cannot_be_changed_or_deleted(korea_unpublished, editor):
    edition = annex_publish(country_assessment=korea_unpublished, user=editor)
    edition.errata = "sneaky"
    with pytest.raises(EditionImmutable):
        edition.save()
    with pytest.raises(EditionImmutable):
        edition.delete()
    with pytest.raises(EditionImmutable):
        Edition.objects.filter(pk=edition.pk).update(html="changed")
    with pytest.raises(EditionImmutable):
        Edition.objects.filter(pk=edition.pk).delete()
    with pytest.raises(ProtectedError):
        korea_unpublished.delete()
    fresh = Edition.objects.get(pk=edition.pk)
    assert (fresh.errata, fresh.html, fresh.snapshot) == ("", edition.html, edition.snapshot)
    assert edition.history.count() == 1


def test_edition_outputs_are_byte_identical_after_later_edits(korea_unpublished, editor):
    edition = annex_publish(country_assessment=korea_unpublished, user=editor)
    assert len(docx_footnotes(edition_export(edition, "docx").content)) == 39
    before = {fmt: edition_export(edition, fmt).content for fmt in FORMATS}
    draft_before = annex_export(annex_build(korea_unpublished), "json").content

    item = korea_unpublished.items.get(indicator__code="BC-1")
    item.rating, item.trend = "fair", "decrease"
    item.notes = "Rewritten after publication.[@nyt-2021-vietnam]"
    item.save()
    citations_sync(items=[item], reason="test")
    korea_unpublished.country.name = "Korea (Republic of)"
    korea_unpublished.country.save()

    from django.core.cache import cache

    cache.clear()  # render again from the stored snapshot, not from the cache
    edition = Edition.objects.get(pk=edition.pk)
    after = {fmt: edition_export(edition, fmt).content for fmt in FORMATS}
    for fmt in FORMATS:
        assert after[fmt] == before[fmt], fmt
    assert AnnexData.from_snapshot(edition.snapshot).score == 73
    assert annex_export(annex_build(korea_unpublished), "json").content != draft_before  # the draft moved on


def test_draft_preview_rights(korea_unpublished):
    korea_2025 = korea_unpublished.cycle.next_cycle.country_assessments.get(country=korea_unpublished.country)
    researcher, reviewer = User.objects.get(username="researcher"), User.objects.get(username="reviewer")
    assert can_preview_draft(researcher, korea_2025) and can_preview_draft(reviewer, korea_2025)
    assert not can_preview_draft(researcher, korea_unpublished)  # not assigned to 2022
    assert can_preview_draft(User.objects.get(username="editor"), korea_unpublished)
    assert not can_preview_draft(UserFactory(role="Researcher"), korea_2025)


def test_citation_rows_untouched_by_publishing(korea_unpublished, editor):
    before = Citation.objects.count()
    annex_publish(country_assessment=korea_unpublished, user=editor)
    assert Citation.objects.count() == before


def test_blockers_link_to_the_items_to_fix(korea_unpublished, editor):
    from assessments.workflow.services import item_reopen

    item = korea_unpublished.items.get(indicator__code="BC-2")
    item_reopen(item=item, user=editor, reason="check")
    [blocker] = publish_blockers(korea_unpublished)
    assert blocker.startswith("BC-2") and blocker.url == item.get_absolute_url()


def test_contradicting_trends_need_an_editors_reason(korea_unpublished, editor):
    from assessments.models import AssessmentItem

    # Korea 2019 has a legacy score of 74: all 36 trends "Increase" cannot come from it.
    AssessmentItem.objects.filter(country_assessment=korea_unpublished, kind="indicator").update(trend="increase")
    with pytest.raises(ValidationError, match="trends contradict"):
        annex_publish(country_assessment=korea_unpublished, user=editor)
    edition = annex_publish(country_assessment=korea_unpublished, user=editor, trend_reason="Verified with the author.")
    assert "Verified with the author." in edition.history.get().history_change_reason


def test_publish_confirmation_page_shows_what_changes(client, korea_unpublished, editor):
    from django.urls import reverse

    from assessments.workflow.services import item_approve, item_reopen, item_submit, item_update
    from tests.factories import UserFactory

    annex_publish(country_assessment=korea_unpublished, user=editor)
    item = korea_unpublished.items.get(indicator__code="BC-1")
    item = item_reopen(item=item, user=editor, reason="fix")
    item = item_update(item=item, user=editor, expected_version=item.version, notes=item.notes + " Corrected.")
    item = item_submit(item=item, user=editor)
    item_approve(item=item, user=UserFactory(role="Editor"))
    client.force_login(editor)
    url = reverse("annex-publish", args=[2022, "KOR"])
    page = client.get(url)
    assert page.status_code == 200
    assert b"What edition 2 changes against v1" in page.content and b"<ins" in page.content
    refused = client.post(url, {})
    assert refused.status_code == 400 and b"Say what edition 2 corrects" in refused.content
    done = client.post(url, {"errata": "Corrected BC-1."})
    assert done.status_code == 302 and korea_unpublished.editions.count() == 2


def test_publication_date_defaults_to_today_and_may_be_entered_for_an_archive_edition(korea_unpublished, editor):
    import datetime

    from django.utils import timezone

    with pytest.raises(ValidationError, match="cannot be in the future"):
        annex_publish(
            country_assessment=korea_unpublished,
            user=editor,
            publication_date=timezone.localdate() + datetime.timedelta(days=1),
        )
    edition = annex_publish(
        country_assessment=korea_unpublished, user=editor, publication_date=datetime.date(2022, 5, 31)
    )
    assert edition.publication_date == datetime.date(2022, 5, 31)
    assert edition.snapshot["publication_date"] == "2022-05-31"
    assert "Edition 1, published 31 May 2022" in edition.html
    assert AnnexData.from_snapshot(edition.snapshot).publication_day == datetime.date(2022, 5, 31)
    korea_unpublished.items.filter(indicator__code="BC-2").update(notes="Strong institutions reduce the risks.")
    second = annex_publish(country_assessment=korea_unpublished, user=editor, errata="Fixed BC-2.")
    assert second.publication_date == timezone.localdate(second.published_at)


def test_snapshots_made_before_publication_dates_read_the_publishing_day(korea_unpublished, editor):
    edition = annex_publish(country_assessment=korea_unpublished, user=editor)
    old = {key: value for key, value in edition.snapshot.items() if key != "publication_date"}
    assert AnnexData.from_snapshot(old).publication_day == edition.published_at.date()
