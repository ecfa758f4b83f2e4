"""A light stand-in for the demo archive (loading the demo takes ~1.5 s a test): the demo users and an
empty Korea 2025 assessment assigned to the researcher and the reviewer, as in the demo."""

import pytest
from simple_history.utils import bulk_create_with_history

from assessments.models import Assignment, AssignmentRole, CountryAssessment
from assessments.services.accounts import demo_users_ensure
from assessments.services.workflow import item_update
from tests.factories import CountryFactory, CycleFactory, make_country_assessment


@pytest.fixture
def people(db) -> dict:
    """The demo users by name: researcher, reviewer, editor, admin."""
    return {name: user for name, (user, _password) in demo_users_ensure().items()}


@pytest.fixture
def korea_2025(people) -> CountryAssessment:
    assessment = make_country_assessment(
        country=CountryFactory(code="KOR", name="Republic of Korea"), cycle=CycleFactory(year=2025)
    )
    assignments = [
        Assignment(country_assessment=assessment, user=people["researcher"], role=AssignmentRole.RESEARCHER),
        Assignment(country_assessment=assessment, user=people["reviewer"], role=AssignmentRole.REVIEWER),
    ]
    bulk_create_with_history(assignments, Assignment, default_user=people["admin"], default_change_reason="assigned")
    return CountryAssessment.objects.select_related("country", "cycle").get(pk=assessment.pk)


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
