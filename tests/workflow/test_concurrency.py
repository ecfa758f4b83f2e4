"""Two people saving the same item at the same moment: one wins, the other gets a conflict, nothing is lost."""

import threading

import pytest
from django.db import connection

from assessments.demo.loader import demo_load
from assessments.models import AssessmentItem
from assessments.workflow.services import EditConflict, item_update


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_serialise_on_the_row_lock(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole-database writes)")
    demo_load()
    item = AssessmentItem.objects.get(country_assessment__cycle__year=2025, indicator__code="BC-1")
    people = {name: django_user_model.objects.get(username=name) for name in ["researcher", "editor"]}
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name: str) -> None:
        try:
            start.wait()
            item_update(item=item, user=people[name], expected_version=1, notes=f"Text of {name}")
            outcomes[name] = "saved"
        except EditConflict as conflict:
            outcomes[name] = f"conflict with v{conflict.item.version}"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict with v2", "saved"]
    item.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    assert (item.version, item.notes) == (2, f"Text of {winner}")
