"""`manage.py backup` and `manage.py restore`: everything comes back, identical, into an empty database."""

import gzip
import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.accounts.backup import row_counts
from assessments.citations.render import render_annex
from assessments.framework.scoring import assessment_score
from assessments.models import AssessmentItem, Comment, CountryAssessment, Edition
from assessments.publishing.exports import FORMATS, edition_export
from assessments.review.services import suggestion_create
from assessments.workflow.comments import comment_create


def outputs() -> dict:
    """What the archive renders: every assessment's annex body and score, every frozen edition and its files."""
    rendered = {}
    for assessment in CountryAssessment.objects.select_related("country", "cycle__previous"):
        items = list(assessment.items.in_reading_order())
        annex = render_annex(items)
        rendered[str(assessment)] = {
            "notes": [annex.notes[item.pk].html for item in items],
            "footnotes": [(note.number, note.html) for note in annex.footnotes],
            "score": assessment_score(assessment),
        }
    rendered["editions"] = list(Edition.objects.order_by("pk").values_list("html", "content_hash", "snapshot"))
    rendered["edition files"] = edition_files()
    return rendered


def edition_files() -> dict[str, str]:
    """Every edition in every download format, rendered afresh (not from the cache), as SHA-256 per file."""
    cache.clear()
    files = {}
    for edition in Edition.objects.select_related("country_assessment").order_by("pk"):
        for fmt in FORMATS:
            export = edition_export(edition, fmt)
            files[export.filename] = hashlib.sha256(export.content).hexdigest()
    return files


def _waive_a_rating_change(world) -> None:
    """A rationale waiver (issue 19), so that its history table has rows too."""
    from assessments.method.rationale import rating_change_waive
    from assessments.workflow.services import item_update

    item = world.korea_2025.items.get(indicator__code="BC-3")
    item = item_update(item=item, user=world.users["researcher"], expected_version=item.version, rating="weak")
    rating_change_waive(item=item, user=world.users["editor"], reason="Recalibrated scale.")


def _ask_a_second_assessment(world) -> None:
    """A blind second rating asked of an unassigned researcher (issue 19), so its history table has rows too."""
    from assessments.method.second import second_assessment_request

    item = world.korea_2025.items.get(indicator__code="BC-1")
    second_assessment_request(items=[item], researcher=world.users["outsider"], user=world.users["editor"])


def _open_a_cycle(world) -> None:
    """Cycle 2028 opened from 2025 (issue 15), so the framework's history tables (cycle, indicator) have rows."""
    from assessments.framework.opening import cycle_open_from

    cycle_open_from(
        previous=world.korea_2025.cycle,
        year=2028,
        introduction="2028",
        coverage_start=None,
        coverage_end=None,
        user=world.users["editor"],
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restores_everything_identically(world, tmp_path, security_figures):
    first, second = tmp_path / "first.json.gz", tmp_path / "second.json.gz"
    _waive_a_rating_change(world)
    _open_a_cycle(world)
    _ask_a_second_assessment(world)
    item = world.draft_item
    suggestion_create(item=item, user=world.users["reviewer"], notes=item.notes + " Suggested.")
    counts, rendered = row_counts(), outputs()
    history = {label: n for label, n in counts.items() if ".historical" in label}
    history_models = [m for m in apps.get_app_config("assessments").get_models() if m.__name__.startswith("Historical")]
    assert len(history) == len(history_models) and all(history.values()), history  # every history table has rows
    assert counts["assessments.edition"] >= 1
    assert {f"r2p-annex-2022-KOR-v1.{fmt}" for fmt in FORMATS} <= set(rendered["edition files"])

    call_command("backup", output=str(first))
    call_command("flush", interactive=False, verbosity=0)
    assert sum(row_counts().values()) == 0
    call_command("restore", str(first))

    assert row_counts() == counts
    restored = outputs()
    rendered_files = rendered.pop("edition files")
    assert restored.pop("edition files") == rendered_files  # JSON, HTML, Markdown, PDF, DOCX
    assert restored == rendered
    call_command("backup", output=str(second))
    assert gzip.decompress(second.read_bytes()) == gzip.decompress(first.read_bytes())
    security_figures.add("backup/restore: rows round-tripped", sum(counts.values()))
    security_figures.add("backup/restore: edition files identical byte for byte", len(rendered_files))
    # The restored database is alive: logins work and new rows get fresh keys (sequences were reset).
    assert User.objects.get(username="researcher").check_password("r2p-researcher")
    item = AssessmentItem.objects.get(pk=world.draft_item.pk)
    comment_create(item=item, user=User.objects.get(username="reviewer"), body="After the restore")


def test_backup_refers_to_content_types_by_natural_key(demo, tmp_path):
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    rows = json.loads(gzip.decompress(path.read_bytes()))
    models = {row["model"] for row in rows}
    assert "contenttypes.contenttype" not in models and "sessions.session" not in models
    assert "assessments.historicalassessmentitem" in models
    editor_group = next(row for row in rows if row["model"] == "auth.group" and row["fields"]["name"] == "Editor")
    assert all(isinstance(permission, list) for permission in editor_group["fields"]["permissions"])


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data(demo, tmp_path):
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))
    before = row_counts()
    call_command("restore", str(path), force=True)
    assert row_counts() == before


def test_backup_and_restore_check_file_names(db, tmp_path):
    with pytest.raises(CommandError, match="must end in"):
        call_command("backup", output=str(tmp_path / "backup.zip"))
    with pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", str(tmp_path / "missing.json.gz"))


def test_backup_keeps_times_to_the_microsecond(world, tmp_path):
    """Django's JSON cuts times to milliseconds (and writes .000 differently from none): a backup keeps them whole."""
    when = datetime(2024, 3, 1, 12, 0, 0, 500, tzinfo=UTC)
    Comment.objects.filter(pk=world.comment.pk).update(created_at=when)
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path))
    row = next(
        row
        for row in json.loads(path.read_text())
        if row["model"] == "assessments.comment" and row["pk"] == world.comment.pk
    )
    assert row["fields"]["created_at"] == "2024-03-01T12:00:00.000500Z"
