"""Fixtures of the history tests: the demo's Korea 2025 BC-1 and an edit helper (people and korea_2025 come from
tests/conftest.py, built from the demo archive of the test session)."""

import pytest

from assessments.workflow.services import item_update


@pytest.fixture
def item(korea_2025):
    """Korea 2025's BC-1, a draft with no revision but its creation."""
    return korea_2025.items.select_related("country_assessment__country", "country_assessment__cycle").get(
        indicator__code="BC-1"
    )


@pytest.fixture
def edit():
    """Save an edit through the service as `user`, from the item's current version."""

    def save(item, user, reason="edited", **changes):
        return item_update(item=item, user=user, expected_version=item.version, reason=reason, **changes)

    return save
