"""Justified changes: a rating that differs from 2022 needs a rationale citing a source from the coverage period."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments.method.models import RatingChangeWaiver
from assessments.method.rationale import method_submission_problems, rating_change_waive
from assessments.models import ItemStatus
from assessments.workflow.services import WorkflowError, item_submit, item_update
from tests.factories import SourceFactory


@pytest.fixture
def item(korea_2025, covered_2025):
    return korea_2025.items.select_related("country_assessment__cycle", "indicator").get(indicator__code="BC-1")


@pytest.fixture
def sources(db):
    return {
        "new": SourceFactory(key="hrw-2024", issued_year=2024, issued_month=1),
        "old": SourceFactory(key="hrw-2019", issued_year=2019),
        "undated": SourceFactory(key="hrw-nd", issued_year=None),
        "edge": SourceFactory(key="un-2022", issued_year=2022),  # 2022 overlaps July–December 2022
    }


def draft(item, user, **changes):
    return item_update(item=item, user=user, expected_version=item.version, **changes)


def test_changed_rating_without_rationale_is_refused(item, people, sources):
    item = draft(item, people["researcher"], rating="fair", notes="Worse now [@hrw-2024].")  # 2022: Very Strong
    with pytest.raises(WorkflowError) as refused:
        item_submit(item=item, user=people["researcher"])
    assert "changed from Very Strong (2022) to Fair" in " ".join(refused.value.messages)
    assert "change rationale" in " ".join(refused.value.messages)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


@pytest.mark.parametrize(
    "rationale,problem",
    [
        ("It got worse.", "must cite a source from the library"),
        ("It got worse [@nowhere].", "must cite a source from the library"),
        ("It got worse [@hrw-2019].", "cites no source dated inside the coverage period"),
        ("It got worse [@hrw-nd].", "cites no source dated inside the coverage period"),
    ],
)
def test_rationale_must_cite_a_source_from_the_period(item, people, sources, rationale, problem):
    item = draft(item, people["researcher"], rating="fair", notes="Worse [@hrw-2024].", change_rationale=rationale)
    problems = method_submission_problems(item)
    assert len(problems) == 1 and problem in problems[0]
    with pytest.raises(WorkflowError):
        item_submit(item=item, user=people["researcher"])


@pytest.mark.parametrize("key", ["hrw-2024", "un-2022"])
def test_rationale_citing_an_in_period_source_is_accepted(item, people, sources, key):
    item = draft(
        item,
        people["researcher"],
        rating="fair",
        notes="Worse [@hrw-2024].",
        change_rationale=f"Protection weakened after the 2023 law [@hrw-2019; @{key}, p. 3].",
    )
    item = item_submit(item=item, user=people["researcher"])
    assert item.status == ItemStatus.IN_REVIEW
    assert item.history.first().change_rationale.startswith("Protection weakened")


def test_unchanged_or_new_rating_needs_no_rationale(item, people, sources):
    item = draft(item, people["researcher"], rating="very_strong", notes="As before [@hrw-2019].")
    assert method_submission_problems(item) == []
    assert item_submit(item=item, user=people["researcher"]).status == ItemStatus.IN_REVIEW


def test_no_coverage_period_means_no_rule(korea_2025, people, sources):
    item = korea_2025.items.get(indicator__code="BC-1")
    item = draft(item, people["researcher"], rating="fair", notes="Worse [@hrw-2024].")
    assert method_submission_problems(item) == []


def test_editor_waiver_is_recorded_and_lets_the_item_through(item, people, sources):
    item = draft(item, people["researcher"], rating="fair", notes="Worse [@hrw-2024].")
    with pytest.raises(PermissionDenied):
        rating_change_waive(item=item, user=people["researcher"], reason="Mine")
    with pytest.raises(ValidationError):
        rating_change_waive(item=item, user=people["editor"], reason="  ")
    waiver = rating_change_waive(
        item=item, user=people["editor"], reason="Methodology change: the scale was recalibrated."
    )
    record = waiver.history.get()
    assert (record.history_user, record.reason, record.rating) == (
        people["editor"],
        "Methodology change: the scale was recalibrated.",
        "fair",
    )
    assert record.history_change_reason.startswith("change rationale waived for Fair")
    item.refresh_from_db()
    assert method_submission_problems(item) == []
    assert item_submit(item=item, user=people["researcher"]).status == ItemStatus.IN_REVIEW


def test_waiver_covers_only_the_rating_it_was_given_for(item, people, sources):
    item = draft(item, people["researcher"], rating="fair", notes="Worse [@hrw-2024].")
    rating_change_waive(item=item, user=people["editor"], reason="Recalibrated.")
    item = draft(item, people["researcher"], rating="weak")
    assert method_submission_problems(item)  # the waiver was for Fair
    rating_change_waive(item=item, user=people["editor"], reason="Recalibrated again.")
    assert RatingChangeWaiver.objects.get(item=item).history.count() == 2


def test_waiver_view_is_for_editors(item, people, sources, user_client):
    item = draft(item, people["researcher"], rating="fair", notes="Worse [@hrw-2024].")
    url = reverse("method-waive-rationale", args=[2025, "KOR", "BC-1"])
    assert user_client("researcher").post(url, {"reason": "x"}).status_code == 403
    response = user_client("editor").post(url, {"reason": "Recalibrated."})
    assert response.status_code == 302
    assert RatingChangeWaiver.objects.get(item=item).reason == "Recalibrated."


def test_editor_form_saves_the_rationale_and_shows_the_change(item, people, sources, user_client):
    client = user_client("researcher")
    url = reverse("item-edit", args=[2025, "KOR", "BC-1"])
    data = {
        "version": item.version,
        "rating": "fair",
        "notes": "Worse [@hrw-2024].",
        "change_rationale": "Because [@hrw-2024].",
    }
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.change_rationale == "Because [@hrw-2024]."
    page = client.get(url).content.decode()
    assert "Rating changed since 2022" in page and "in the coverage period" in page
    assert reverse("method-calibration", args=[2025, "BC-1"]) in page
    assert 'id="guidance"' in page  # the codebook beside the rating buttons
