"""The editorial core: every way of writing item content goes through one service and one set of rules.

Each test reproduces a bypass that existed before the core (through the entry point a user has) and shows it closed.
"""

import ast
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from assessments.models import AssessmentItem, Assignment, Citation, CountryAssessment, ItemContribution, ItemStatus
from assessments.workflow import permissions
from assessments.workflow.previous import previous_cycle_item
from assessments.workflow.services import item_approve, item_copy_from_previous, item_reopen, item_submit, item_update
from tests.io.conftest import csv_bytes
from tests.workflow.conftest import drafted, fresh

ROOT = Path(__file__).resolve().parents[2]


def admin_change_url(item) -> str:
    return reverse("admin:assessments_assessmentitem_change", args=[item.pk])


# --- the Django admin -------------------------------------------------------------------------------------


def test_admin_cannot_change_an_approved_item_behind_the_workflow(client, people, korea_2022):
    """Before: the change form saved rating and notes, kept Approved, bumped no version and synced no citation."""
    item = korea_2022.items.get(indicator__code="BC-1")
    before = (item.rating, item.notes, item.version, item.history.count())
    client.force_login(people["admin"])
    page = client.get(admin_change_url(item))
    assert page.status_code == 200 and b'name="notes"' not in page.content  # shown read-only
    response = client.post(
        admin_change_url(item), {"rating": "weak", "notes": "Admin text [@nope]", "status": "approved"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.rating, item.notes, item.version, item.history.count()) == before
    assert client.get(reverse("admin:assessments_assessmentitem_add")).status_code == 403
    citation = Citation.objects.filter(item__country_assessment=korea_2022).first()
    assert client.get(reverse("admin:assessments_citation_change", args=[citation.pk])).status_code == 200
    assert client.post(reverse("admin:assessments_citation_delete", args=[citation.pk])).status_code == 403


def test_admin_add_country_assessment_starts_it_with_all_items(client, people, demo):
    """Before: the admin's add form made a shell with no items that could never be filled or published."""
    from assessments.models import Country, Cycle

    client.force_login(people["admin"])
    nzl, cycle = Country.objects.get(code="NZL"), Cycle.objects.get(year=2025)
    data = {
        "country": nzl.pk,
        "cycle": cycle.pk,
        "legacy_score": "",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-0-user": people["researcher"].pk,
        "assignments-0-role": "researcher",
    }
    response = client.post(reverse("admin:assessments_countryassessment_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment = CountryAssessment.objects.get(country=nzl, cycle=cycle)
    assert assessment.items.count() == 38
    assert assessment.items.first().history.get().history_change_reason == "changed in admin"
    assert Assignment.objects.get(country_assessment=assessment).history.get().history_user == people["admin"]


def test_admin_assignment_obeys_the_role_rules(client, people, korea_2025):
    """Before: the admin could make a reviewer-only person the researcher of an assessment."""
    client.force_login(people["admin"])
    data = {"country_assessment": korea_2025.pk, "user": people["other_reviewer"].pk, "role": "researcher"}
    response = client.post(reverse("admin:assessments_assignment_add"), data)
    assert response.status_code == 200 and b"does not have the Researcher role" in response.content
    assert not Assignment.objects.filter(user=people["other_reviewer"]).exists()


def test_import_of_assignments_obeys_the_role_rules(people, korea_2025):
    from assessments.io.services import import_file

    row = {"country": "KOR", "cycle": 2025, "user": "other-reviewer", "role": "researcher"}
    data = csv_bytes([row], columns=list(row))
    report = import_file("assignments", data, user=people["editor"], dry_run=False, file_name="a.csv")
    assert not report.ok and "does not have the Researcher role" in " ".join(report.error_messages)
    assert not Assignment.objects.filter(user=people["other_reviewer"]).exists()


# --- imports ----------------------------------------------------------------------------------------------


def test_import_data_command_cannot_approve(people, korea_2025, tmp_path):
    """Before: `import_data` with a status column approved content nobody reviewed."""
    path = tmp_path / "approve.csv"
    row = {"country": "KOR", "cycle": 2025, "indicator": "BC-1", "rating": "Fair", "notes": "x", "status": "approved"}
    path.write_bytes(csv_bytes([row]))
    call_command(
        "import_data", str(path), "--resource", "indicator-assessments", "--user", "admin", stdout=io.StringIO()
    )
    item = korea_2025.items.get(indicator__code="BC-1")
    assert item.status == ItemStatus.DRAFT and item.rating == "fair"
    with pytest.raises(Exception, match="failed"):
        call_command(
            "import_data",
            str(path),
            "--resource",
            "indicator-assessments",
            "--user",
            "researcher",
            "--archive",
            stdout=io.StringIO(),
        )


def test_web_import_sends_an_item_in_review_back_to_draft(client, people, korea_2025, settings, tmp_path):
    settings.R2P_IMPORT_TMP_DIR = tmp_path
    item = drafted(korea_2025.items.get(indicator__code="BC-1"), people["researcher"])
    item_submit(item=item, user=people["researcher"])
    client.force_login(people["editor"])
    upload = io.BytesIO(csv_bytes([{"country": "KOR", "cycle": 2025, "indicator": "BC-1", "notes": "Editor's."}]))
    upload.name = "e.csv"
    page = client.post(reverse("data-import"), {"resource": "indicator-assessments", "file": upload})
    assert b"In review" in page.content and b"Draft" in page.content  # the preview says what happens
    client.post(reverse("data-import-confirm"), {"token": page.context["token"]})
    item = fresh(item)
    assert (item.status, item.notes) == (ItemStatus.DRAFT, "Editor's.")
    assert not permissions.can_review_item(people["editor"], item)


# --- four-eyes on content ---------------------------------------------------------------------------------


def test_submitting_someone_elses_text_does_not_launder_authorship(people, item):
    """Before: an editor wrote, a researcher clicked submit without a change, and the editor could approve."""
    written = drafted(item, people["editor"], notes="The editor's own words.")
    submitted = item_submit(item=written, user=people["researcher"])
    assert not permissions.can_review_item(people["editor"], submitted)
    with pytest.raises(PermissionDenied):
        item_approve(item=submitted, user=people["editor"])
    assert permissions.can_review_item(people["reviewer"], submitted)
    approved = item_approve(item=submitted, user=people["reviewer"])
    assert approved.approved_version == approved.version
    # After approval the slate is clean: the editor may approve the next round written by someone else.
    reopened = item_reopen(item=approved, user=people["editor"], reason="typo")
    rewritten = drafted(reopened, people["researcher"], notes="The researcher's fix.")
    resubmitted = item_submit(item=rewritten, user=people["researcher"])
    assert permissions.can_review_item(people["editor"], resubmitted)
    assert not permissions.can_review_item(people["researcher"], resubmitted)


def test_approval_screen_names_who_wrote_what_since_the_last_approval(client, people, item):
    drafted(item, people["researcher"], notes="First words.")
    drafted(item, people["editor"], notes="First words, edited.")
    item_submit(item=fresh(item), user=people["researcher"])
    client.force_login(people["reviewer"])
    page = client.get(fresh(item).get_absolute_url())
    text = page.content.decode()
    assert "Written since the last approval by" in text
    assert "Researcher" in text or "researcher" in text
    authors = list(ItemContribution.objects.since_approval(fresh(item)).values_list("user__username", flat=True))
    assert authors == ["researcher", "editor"]
    assert "approve" in page.context["actions"]


def test_review_queue_leaves_out_items_the_user_wrote(client, people, item):
    drafted(item, people["editor"], notes="Editor's words.")
    item_submit(item=fresh(item), user=people["researcher"])
    queue = AssessmentItem.objects.awaiting_review_by(people["editor"])
    assert fresh(item) not in queue
    assert fresh(item) in AssessmentItem.objects.awaiting_review_by(people["reviewer"])


# --- the previous cycle as approved -----------------------------------------------------------------------


def test_the_next_cycle_sees_the_approved_text_of_a_reopened_item(client, people, korea_2022, korea_2025):
    """Before: reopening 2022 BC-1 and drafting in it showed (and copied) the unreviewed draft to 2025 staff."""
    old = korea_2022.items.get(indicator__code="BC-1")
    approved_notes, approved_rating = old.notes, old.rating
    reopened = item_reopen(item=old, user=people["editor"], reason="correction")
    item_update(
        item=reopened, user=people["editor"], expected_version=reopened.version, rating="weak", notes="UNREVIEWED"
    )
    new = fresh(korea_2025.items.get(indicator__code="BC-1"))
    previous = previous_cycle_item(new)
    assert (previous.item.notes, previous.item.rating) == (approved_notes, approved_rating)
    client.force_login(people["researcher"])
    page = client.get(new.get_absolute_url())
    assert b"UNREVIEWED" not in page.content
    copied = item_copy_from_previous(item=new, user=people["researcher"], expected_version=new.version)
    assert copied.notes == approved_notes and copied.rating == approved_rating
    assert copied.trend == "unchanged"  # derived from the approved 2022 rating, not the draft's "weak"


# --- starting work from the app ---------------------------------------------------------------------------


def test_editor_adds_countries_to_a_cycle_from_the_cycle_page(client, people, demo):
    client.force_login(people["editor"])
    url = reverse("cycle-add-countries", args=[2025])
    response = client.post(url, {"countries": "NZL, Japan"})
    assert response.status_code == 302
    added = CountryAssessment.objects.filter(cycle__year=2025, country__code__in=["NZL", "JPN"])
    assert added.count() == 2 and {a.items.count() for a in added} == {38}
    page = client.get(reverse("cycle-detail", args=[2025]))
    assert b"New Zealand" in page.content and b"Add countries to 2025" in page.content
    again = client.post(url, {"countries": "NZL"}, follow=True)
    assert b"Already in 2025: New Zealand" in again.content
    bad = client.post(url, {"countries": "Atlantis"}, follow=True)
    assert b"No country is called or coded" in bad.content
    client.force_login(people["researcher"])
    assert client.post(url, {"countries": "AUS"}).status_code == 403


# --- one write path ---------------------------------------------------------------------------------------

ITEM_WRITE_CALLS = {"save", "bulk_update", "bulk_update_with_history", "update", "executemany"}
# Where item rows may be written: the content service (content), status transitions (workflow._transition, whose
# fields are status and approved_version only) and creation of a new assessment's empty items (items_create).
ALLOWED = {
    "assessments/workflow/content.py": {"_save"},
    "assessments/workflow/services.py": {"_save"},
    "assessments/workflow/items.py": {"items_create"},
}


def _item_writes(path: Path) -> list[tuple[str, int, str]]:
    """(function, line, call) of calls that may write AssessmentItem rows in one module."""
    tree = ast.parse(path.read_text())
    found = []
    for function in [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]:
        source = ast.get_source_segment(path.read_text(), function) or ""
        touches_items = "AssessmentItem" in source or "item" in function.name or ".notes" in source
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ITEM_WRITE_CALLS
            ):
                target = ast.get_source_segment(path.read_text(), node.func.value) or ""
                root = target.split(".", 1)[0]
                if root[:1].isupper() and root != "AssessmentItem":
                    continue  # another model's rows (ItemSeen.objects…update): not item content
                if touches_items and ("item" in target.lower() or "AssessmentItem" in target or "cursor" in target):
                    found.append((function.name, node.lineno, f"{target}.{node.func.attr}"))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("bulk_"):
                if any(isinstance(arg, ast.Name) and arg.id == "AssessmentItem" for arg in node.args):
                    found.append((function.name, node.lineno, node.func.id))
    return found


def test_every_code_path_that_saves_item_content_goes_through_the_service():
    offenders = []
    for path in sorted((ROOT / "assessments").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        if "/migrations/" in relative or "/bench/" in relative:
            continue
        for function, line, call in _item_writes(path):
            if function not in ALLOWED.get(relative, set()):
                offenders.append(f"{relative}:{line} {function}: {call}")
    assert offenders == []
