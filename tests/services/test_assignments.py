import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import Assignment, AssignmentRole
from assessments.workflow.assignments import assignment_candidates, assignment_create, assignment_delete
from assessments.workflow.permissions import can_edit_item
from tests.factories import UserFactory


@pytest.fixture
def editor(demo, django_user_model):
    return django_user_model.objects.get(username="editor")


def test_assign_and_unassign_with_history(korea_2025, editor):
    newcomer = UserFactory(role="Researcher")
    item = korea_2025.items.get(indicator__code="BC-1")
    assert not can_edit_item(newcomer, item)
    assignment = assignment_create(
        country_assessment=korea_2025, assignee=newcomer, role=AssignmentRole.RESEARCHER, user=editor
    )
    assert can_edit_item(newcomer, item)
    record = assignment.history.latest()
    assert (record.history_user, record.history_change_reason) == (editor, "assigned as researcher")
    pk = assignment.pk
    assignment_delete(assignment=assignment, user=editor)
    assert not can_edit_item(newcomer, item)
    assert Assignment.history.filter(id=pk).latest().history_change_reason == "unassigned as researcher"


def test_only_editors_assign(korea_2025, demo, django_user_model):
    researcher = django_user_model.objects.get(username="researcher")
    with pytest.raises(PermissionDenied):
        assignment_create(
            country_assessment=korea_2025, assignee=researcher, role=AssignmentRole.REVIEWER, user=researcher
        )
    with pytest.raises(PermissionDenied):
        assignment_delete(assignment=korea_2025.assignments.first(), user=researcher)


def test_assignee_needs_the_role_and_is_assigned_once(korea_2025, editor, django_user_model):
    researcher = django_user_model.objects.get(username="researcher")
    with pytest.raises(ValidationError, match="Reviewer role"):
        assignment_create(country_assessment=korea_2025, assignee=researcher, role=AssignmentRole.REVIEWER, user=editor)
    with pytest.raises(ValidationError, match="already researcher"):
        assignment_create(
            country_assessment=korea_2025, assignee=researcher, role=AssignmentRole.RESEARCHER, user=editor
        )
    # Editors and admins may take either role.
    assignment_create(country_assessment=korea_2025, assignee=editor, role=AssignmentRole.REVIEWER, user=editor)


def test_candidates_exclude_people_already_assigned(korea_2025, editor):
    candidates = assignment_candidates(exclude=list(korea_2025.assignments.all()))
    researchers = {user.username for user in candidates[AssignmentRole.RESEARCHER]}
    reviewers = {user.username for user in candidates[AssignmentRole.REVIEWER]}
    assert researchers == {"editor", "admin"}  # the demo researcher is assigned already
    assert reviewers == {"editor", "admin"}
