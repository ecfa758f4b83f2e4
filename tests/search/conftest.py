import pytest
from django.contrib.auth.models import User

from assessments.models import AssessmentItem
from assessments.workflow.services import item_update
from tests.factories import UserFactory


@pytest.fixture
def outsider(demo) -> User:
    """A researcher assigned to nothing."""
    return UserFactory(username="outsider", role="Researcher")


@pytest.fixture
def write_notes():
    """Write an item's notes through the write path, as `username` (default: the editor)."""

    def write(item: AssessmentItem, notes: str, username: str = "editor", **changes) -> AssessmentItem:
        item.refresh_from_db()
        return item_update(
            item=item, user=User.objects.get(username=username), expected_version=item.version, notes=notes, **changes
        )

    return write
