"""The change-only history mechanism: no historical row for a save that changes no tracked field, on any path."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from simple_history.middleware import HistoryRequestMiddleware
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.history.records import ChangeOnlyHistoricalRecords
from assessments.models import AssessmentItem, Assignment, Comment, CountryAssessment, Source
from tests.factories import SourceFactory
from tests.history.helpers import EDITORIAL, history_rows, new_rows


def test_every_editorial_model_uses_change_only_history():
    for model in EDITORIAL:
        records = model._meta.simple_history_manager_attribute
        assert records == "history", model
        history_model = model.history.model
        assert any(index.name.endswith("_obj_idx") for index in history_model._meta.indexes), model
        field = history_model._meta.get_field("history_change_reason")
        assert field.get_internal_type() == "TextField", model  # long reasons such as "import <file>" fit


def test_plain_save_without_change_writes_no_row(item):
    before = history_rows()
    item.save()
    item.save()
    assert new_rows(before) == {}
    item.notes = "Changed."
    item.save()
    assert new_rows(before) == {"AssessmentItem": 1}
    item.save()  # saving the same content again
    assert new_rows(before) == {"AssessmentItem": 1}


@pytest.mark.parametrize("model", [CountryAssessment, Assignment, Comment, Source])
def test_no_change_save_of_other_models_writes_no_row(model, item, people):
    obj = {
        CountryAssessment: lambda: item.country_assessment,
        Assignment: lambda: Assignment.objects.first(),
        Comment: lambda: Comment.objects.create(item=item, author=people["reviewer"], body="Hm."),
        Source: lambda: SourceFactory(),
    }[model]()
    before = history_rows()
    obj.save()
    assert new_rows(before) == {}


def test_excluded_fields_alone_write_no_row(db):
    source = SourceFactory()
    before = history_rows()
    source.link_status = 404
    source.link_error = "Not found"
    source.save()
    assert new_rows(before) == {}


def test_creation_and_deletion_are_always_recorded(item, people):
    before = history_rows()
    comment = Comment(item=item, author=people["reviewer"], body="Hm.")
    comment.save()
    comment.delete()
    assert new_rows(before) == {"Comment": 2}
    assert list(Comment.history.values_list("history_type", flat=True)[:2]) == ["-", "+"]


def test_an_object_without_history_gets_its_first_row_on_save(item):
    AssessmentItem.history.filter(id=item.pk).delete()
    item.save()
    assert AssessmentItem.history.filter(id=item.pk).count() == 1


def test_a_change_made_without_history_is_caught_up_by_the_next_save(item):
    AssessmentItem.objects.filter(pk=item.pk).update(notes="Changed behind history's back.")
    item.refresh_from_db()
    item.save()
    assert item.history.first().notes == "Changed behind history's back."


def test_no_change_check_costs_one_indexed_query(item):
    item.notes = "Changed."
    with CaptureQueriesContext(connection) as queries:
        item.save()
    assert len(queries) == 3  # UPDATE, SELECT latest historical row, INSERT historical row
    with CaptureQueriesContext(connection) as queries:
        item.save()
    assert len(queries) == 2  # UPDATE, SELECT: nothing recorded


def test_deferred_fields_are_not_fetched_to_compare(item):
    partial = AssessmentItem.objects.only("id", "status").get(pk=item.pk)
    with CaptureQueriesContext(connection) as queries:
        partial.save(update_fields=["status"])
    assert len(queries) == 2  # UPDATE, SELECT latest historical row: no query per deferred field, no row
    partial.status = "in_review"
    partial.save(update_fields=["status"])
    assert item.history.first().status == "in_review"


def test_bulk_update_records_only_changed_objects(korea_2025):
    items = list(korea_2025.items.all())
    items[0].notes = "Only this one changes."
    before = history_rows()
    bulk_update_with_history(items, AssessmentItem, ["notes"], default_change_reason="bulk")
    assert new_rows(before) == {"AssessmentItem": 1}
    assert AssessmentItem.history.latest().history_change_reason == "bulk"


def test_bulk_create_always_records(db):
    before = history_rows()
    bulk_create_with_history([Source(key="a", title="A"), Source(key="b", title="B")], Source)
    assert new_rows(before) == {"Source": 2}


def test_history_user_comes_from_the_request_middleware(rf, item, people):
    """A save made while handling a request records the logged-in user even if the code does not set it."""

    def view(request):
        item.notes = "Saved by a view that does not say who."
        item.save()
        return HttpResponse()

    request = rf.get("/")
    request.user = people["editor"]
    HistoryRequestMiddleware(view)(request)
    assert item.history.first().history_user == people["editor"]


def test_admin_saves_record_user_and_reason(client, item, people):
    client.force_login(people["admin"])
    url = f"/admin/assessments/source/{SourceFactory(key='hrw').pk}/change/"
    source = Source.objects.get(key="hrw")
    data = {field: getattr(source, field) or "" for field in ["key", "type", "title", "url"]}
    data |= {"authors": "[]", "csl_extra": "{}", "author_abbreviation": "HRW", "title": "New title"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Source.history.filter(id=source.pk).first()
    assert (record.title, record.history_user, record.history_change_reason) == (
        "New title",
        people["admin"],
        "changed in admin",
    )


def test_subclass_keeps_simple_history_options():
    records = ChangeOnlyHistoricalRecords(excluded_fields=["updated_at"])
    assert records.excluded_fields == ["updated_at"]
