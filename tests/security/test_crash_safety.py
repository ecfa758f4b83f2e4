"""A failure in the middle of a write leaves nothing half done: the item, its citations, its comments and
every history table are exactly as before. Each service is run with an exception injected at each step.

Publishing (and importing data) get their own snapshot and injection points below.
"""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.manager import HistoryManager

from assessments.io import indicators as io_indicators
from assessments.io.services import import_file
from assessments.models import AssessmentItem, Citation, Comment, CountryAssessment, Edition, ItemStatus, Source
from assessments.publishing import services as publishing
from assessments.publishing.services import annex_publish
from assessments.workflow import comments, content, items
from assessments.workflow import services as workflow
from assessments.workflow.services import (
    item_approve,
    item_reopen,
    item_request_changes,
    item_submit,
    item_update,
)


class Injected(Exception):
    """The failure injected into a service."""


def snapshot(item: AssessmentItem) -> dict:
    item = AssessmentItem.objects.get(pk=item.pk)
    return {
        "item": (item.notes, item.rating, item.status, item.version, item.last_edited_by_id),
        "citations": list(Citation.objects.filter(item=item).values_list("position", "key", "source", "locator")),
        "comments": list(Comment.objects.filter(item=item).values_list("body", flat=True)),
        "history": [model.history.count() for model in (AssessmentItem, Citation, Comment)],
    }


def fail(*args, **kwargs):
    raise Injected("injected failure")


def fail_after(original):
    """Let the original run (its writes happen), then fail: the worst moment."""

    def wrapper(*args, **kwargs):
        original(*args, **kwargs)
        raise Injected("injected failure after the write")

    return wrapper


# Where to break: (label, function(monkeypatch) that installs the failure).
INJECTIONS = {
    # Content writes create history rows in bulk, transitions one by one: break both.
    "item history row": lambda mp: [
        mp.setattr(HistoryManager, "bulk_history_create", fail),
        mp.setattr(AssessmentItem.history.model, "save", fail),
    ],
    # Content writes save through content._save, transitions through workflow._save.
    "after the item save": lambda mp: [
        mp.setattr(content, "_save", fail_after(content._save)),
        mp.setattr(workflow, "_save", fail_after(workflow._save)),
    ],
    "citations sync": lambda mp: mp.setattr(content, "citations_sync", fail_after(content.citations_sync)),
    "citation history": lambda mp: [
        mp.setattr(items, name, fail) for name in ("bulk_create_with_history", "bulk_update_with_history")
    ],
    "review comment": lambda mp: mp.setattr(comments, "comment_create", fail_after(comments.comment_create)),
}


@pytest.fixture
def people(world):
    return world.users


def draft(item, people):
    """An item with a cited source, in draft."""
    return item_update(
        item=item,
        user=people["researcher"],
        expected_version=item.version,
        rating="fair",
        notes="Before.[@hrw-2022-south-korea, p. 1][@kwok-2022-denial]",
    )


def in_review(item, people):
    return item_submit(item=draft(item, people), user=people["researcher"])


# (service, how to prepare the item, the call, the injections that lie on its path)
SERVICES = {
    "edit": (
        draft,
        lambda item, p: item_update(
            item=item, user=p["researcher"], expected_version=item.version, notes="After.[@trc-2020-about, p. 9]"
        ),
        ["item history row", "after the item save", "citations sync", "citation history"],
    ),
    "submit": (
        draft,
        lambda item, p: item_submit(item=item, user=p["researcher"], expected_version=item.version),
        ["item history row", "after the item save"],
    ),
    "approve with comment": (
        in_review,
        lambda item, p: item_approve(item=item, user=p["reviewer"], comment="Good."),
        ["item history row", "after the item save", "review comment"],
    ),
    "request changes": (
        in_review,
        lambda item, p: item_request_changes(item=item, user=p["reviewer"], comment="Cite more."),
        ["item history row", "after the item save", "review comment"],
    ),
    "reopen": (
        lambda item, p: item_approve(item=in_review(item, p), user=p["reviewer"]),
        lambda item, p: item_reopen(item=item, user=p["editor"], reason="New facts"),
        ["item history row", "after the item save"],
    ),
}


@pytest.mark.parametrize("service", list(SERVICES))
def test_failure_mid_write_changes_nothing(world, people, monkeypatch, service, security_figures):
    prepare, call, injections = SERVICES[service]
    for injection in [None, *injections]:
        with transaction.atomic():  # each injection starts from the same state
            item = prepare(world.korea_2025.items.get(indicator__code="BC-2"), people)
            before = snapshot(item)
            if injection is None:
                # The control: without a failure the call does change things, so "unchanged" means rolled back.
                call(item, people)
                assert snapshot(item) != before, f"{service} changed nothing even without a failure"
            else:
                with monkeypatch.context() as patch:
                    INJECTIONS[injection](patch)
                    with pytest.raises(Injected):
                        call(item, people)
                assert snapshot(item) == before, f"{service} left partial changes after a failure at {injection}"
                security_figures.add("crash safety: injected failures, all rolled back", 1)
            transaction.set_rollback(True)


def test_a_failing_notification_does_not_undo_or_break_a_transition(
    world, people, monkeypatch, django_capture_on_commit_callbacks
):
    item = draft(world.korea_2025.items.get(indicator__code="BC-2"), people)
    monkeypatch.setattr("assessments.workflow.notifications.notify_item_event", fail)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item = item_submit(item=item, user=people["researcher"])
    assert len(callbacks) == 1  # the notification ran (and failed, logged) after the commit
    assert AssessmentItem.objects.get(pk=item.pk).status == ItemStatus.IN_REVIEW


def test_refused_transition_changes_nothing(world, people):
    item = draft(world.korea_2025.items.get(indicator__code="BC-2"), people)
    before = snapshot(item)
    with pytest.raises(PermissionDenied):
        item_approve(item=item, user=people["reviewer"])  # not in review
    assert snapshot(item) == before


# ----- publishing: a failure anywhere leaves no edition and no history row -----

PUBLISH_INJECTIONS = {
    "annex build": lambda mp: mp.setattr(publishing, "annex_build", fail_after(publishing.annex_build)),
    "HTML render": lambda mp: mp.setattr(publishing, "annex_body_html", fail_after(publishing.annex_body_html)),
    "after the edition save": lambda mp: mp.setattr(Edition, "save", fail_after(Edition.save)),
    "edition history row": lambda mp: mp.setattr(Edition.history.model, "save", fail),
}


def publish_snapshot(country_assessment) -> dict:
    return {
        "editions": list(Edition.objects.order_by("pk").values_list("country_assessment", "number", "content_hash")),
        "history": Edition.history.count(),
        "items": list(country_assessment.items.order_by("pk").values_list("status", "version", "notes")),
    }


def test_failure_mid_publish_leaves_no_edition(world, people, monkeypatch, security_figures):
    korea = world.korea_2022  # published as v1 by the demo; these publish v2
    for injection in [None, *PUBLISH_INJECTIONS]:
        with transaction.atomic():
            world.correct_korea_2022()
            before = publish_snapshot(korea)
            if injection is None:
                edition = annex_publish(country_assessment=korea, user=people["editor"], errata="Corrects a typo.")
                after = publish_snapshot(korea)
                assert edition.number == 2 and after["history"] == before["history"] + 1, after
            else:
                with monkeypatch.context() as patch:
                    PUBLISH_INJECTIONS[injection](patch)
                    with pytest.raises(Injected):
                        annex_publish(country_assessment=korea, user=people["editor"], errata="Corrects a typo.")
                assert publish_snapshot(korea) == before, f"publishing left partial changes after {injection}"
                security_figures.add("crash safety: injected failures, all rolled back", 1)
            transaction.set_rollback(True)


# ----- importing data: a failure in the middle of a file writes no row and no history -----


def fail_on_call(original, call: int):
    """Let the first call-1 calls through (their rows are written), then fail: the middle of the file."""
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] >= call:
            raise Injected(f"injected failure at call {calls['n']}")
        return original(*args, **kwargs)

    wrapper.calls = calls
    return wrapper


IMPORT_TABLES = (CountryAssessment, AssessmentItem, Citation, Source)


def import_snapshot() -> dict:
    return {
        "rows": {model.__name__: model.objects.count() for model in IMPORT_TABLES},
        "history": {model.__name__: model.history.count() for model in IMPORT_TABLES},
        "items": list(AssessmentItem.objects.order_by("pk").values_list("rating", "notes", "version", "status")),
        "sources": list(Source.objects.order_by("pk").values_list("key", "title")),
    }


def _csv(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def indicator_file(world) -> bytes:
    """Korea 2025 (drafts changed) and New Zealand 2025 (created): 72 rows citing a library source."""
    codes = list(world.korea_2025.cycle.indicators.order_by("position").values_list("code", flat=True))
    rows = [
        {
            "country": country,
            "cycle": 2025,
            "indicator": code,
            "rating": "Fair",
            "trend": "New",
            "notes": f"Imported {code}.[@hrw-2022-south-korea, p. {n}]",
        }
        for country in ("KOR", "NZL")
        for n, code in enumerate(codes, start=1)
    ]
    return _csv(["country", "cycle", "indicator", "rating", "trend", "notes"], rows)


def source_file(world) -> bytes:
    rows = [{"key": f"zz-imported-{n}", "type": "report", "title": f"Imported report {n}"} for n in range(6)]
    return _csv(["key", "type", "title"], rows)


# (resource, file, the injections on its path: name → installer returning the wrapper to check it was reached)
IMPORTS = {
    "indicator-assessments": (
        indicator_file,
        {
            "assessment creation": lambda mp: _wrap(mp, io_indicators, "country_assessment_create", fail_after),
            "item update with history": lambda mp: _wrap(mp, content, "_save", fail_after),
            "item history rows": lambda mp: _wrap(
                mp, HistoryManager, "bulk_history_create", lambda f: fail_on_call(f, 1)
            ),
            "citations sync": lambda mp: _wrap(mp, content, "citations_sync", fail_after),
            "citation history": lambda mp: _wrap(mp, items, "bulk_create_with_history", lambda f: fail_on_call(f, 1)),
        },
    ),
    "sources": (
        source_file,
        {
            "third source saved": lambda mp: _wrap(mp, Source, "save", lambda f: fail_on_call(f, 3)),
            "fourth source's history row": lambda mp: _wrap(
                mp, Source.history.model, "save", lambda f: fail_on_call(f, 4)
            ),
        },
    ),
}


def _wrap(mp, owner, name: str, make):
    wrapper = make(getattr(owner, name))
    counted = {"n": 0}

    def counting(*args, **kwargs):
        counted["n"] += 1
        return wrapper(*args, **kwargs)

    counting.reached = counted
    mp.setattr(owner, name, counting)
    return counting


@pytest.mark.parametrize("resource", list(IMPORTS))
def test_failure_mid_import_writes_nothing(world, people, monkeypatch, resource, security_figures, caplog):
    make_file, injections = IMPORTS[resource]
    data = make_file(world)
    for injection in [None, *injections]:
        with transaction.atomic():
            before = import_snapshot()
            if injection is None:
                report = import_file(resource, data, user=people["admin"], dry_run=False, file_name="f.csv")
                assert report.ok and report.written, report.file_errors or report.rows[:3]
                assert import_snapshot() != before
            else:
                with monkeypatch.context() as patch:
                    installed = injections[injection](patch)
                    report = import_file(resource, data, user=people["admin"], dry_run=False, file_name="f.csv")
                assert installed.reached["n"], f"{injection} is not on the path of a {resource} import"
                assert not report.written and not report.ok, f"{resource} reported success after {injection}"
                assert import_snapshot() == before, f"{resource} import left rows after a failure at {injection}"
                security_figures.add("crash safety: injected failures, all rolled back", 1)
            transaction.set_rollback(True)
