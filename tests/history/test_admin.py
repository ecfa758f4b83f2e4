"""simple-history's admin pages enforce the historical model's permissions and rights on the country."""

from django.contrib.auth.models import Permission

from assessments.models import Assignment, AssignmentRole
from tests.factories import UserFactory


def history_urls(item):
    record = item.history.first()
    base = f"/admin/assessments/assessmentitem/{item.pk}"
    return [f"{base}/history/", f"{base}/history/{record.history_id}/"]


def test_superuser_sees_admin_history(user_client, item):
    client = user_client("admin")
    for url in history_urls(item):
        assert client.get(url).status_code == 200, url


def test_staff_without_history_permission_is_refused(user_client, item):
    """The editor is staff and may view items in the admin, but has no permission on the historical model."""
    client = user_client("editor")
    assert client.get(f"/admin/assessments/assessmentitem/{item.pk}/change/").status_code == 200
    for url in history_urls(item):
        assert client.get(url).status_code == 403, url


def test_history_permission_without_rights_on_the_country_is_refused(client, item):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_assessmentitem", "view_historicalassessmentitem"])
    )
    client.force_login(staff)
    for url in history_urls(item):
        assert client.get(url).status_code == 403, url
    Assignment.objects.create(country_assessment=item.country_assessment, user=staff, role=AssignmentRole.REVIEWER)
    client.force_login(staff)  # a fresh request: role cache is per request
    for url in history_urls(item):
        assert client.get(url).status_code == 200, url


def test_admin_history_form_never_saves(user_client, item):
    """simple-history saves a POST to its history form even with revert disabled; r2p refuses it."""
    client = user_client("admin")
    old = item.history.last()
    url = history_urls(item)[1].replace(str(item.history.first().history_id), str(old.history_id))
    page = client.get(url)
    assert b"<title>View " in page.content and b"Revert" not in page.content
    form = {
        "country_assessment": item.country_assessment_id,
        "kind": item.kind,
        "indicator": item.indicator_id,
        "notes": "Sneaked in through the history form.",
    }
    assert client.post(url, form).status_code == 403
    item.refresh_from_db()
    assert item.notes == ""
