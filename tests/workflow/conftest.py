"""Fixtures of the workflow pages: the demo people, Korea 2025's items, items moved to each state."""

import pytest

from assessments.models import AssessmentItem
from assessments.workflow.services import item_approve, item_submit, item_update

CITED_NOTES = "The ROK protects its population.[@hrw-2022-south-korea, 'Women and Girls' Rights']"


def fresh(item: AssessmentItem) -> AssessmentItem:
    return AssessmentItem.objects.select_related(
        "country_assessment__country", "country_assessment__cycle", "indicator"
    ).get(pk=item.pk)


@pytest.fixture
def item(korea_2025) -> AssessmentItem:
    return fresh(korea_2025.items.get(indicator__code="BC-1"))


def drafted(item: AssessmentItem, user, **changes) -> AssessmentItem:
    changes = {"rating": "strong", "notes": CITED_NOTES, **changes}
    return item_update(item=fresh(item), user=user, expected_version=fresh(item).version, **changes)


def in_review(item: AssessmentItem, people) -> AssessmentItem:
    return item_submit(item=drafted(item, people["researcher"]), user=people["researcher"])


def approved(item: AssessmentItem, people) -> AssessmentItem:
    return item_approve(item=in_review(item, people), user=people["reviewer"])


def editor_form(item: AssessmentItem, **fields) -> dict:
    """What the editor form posts for this item as it is now, with `fields` changed."""
    data = {
        "version": item.version,
        "rating": item.rating,
        "trend": "",
        "trend_override_reason": item.trend_override_reason,
        "notes": item.notes,
    }
    data.update(fields)
    return data
