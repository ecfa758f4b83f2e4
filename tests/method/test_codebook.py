"""The codebook: demo guidance, editing with history, CSV round trip, copy to a new cycle, publication."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.framework.services import cycle_create
from assessments.method.codebook import codebook_csv, codebook_import, guidance_update, read_codebook_csv
from assessments.method.models import IndicatorGuidance
from assessments.models import Cycle, Indicator
from assessments.publishing.annex import annex_build


def test_demo_gives_every_indicator_of_every_cycle_guidance(demo):
    assert IndicatorGuidance.objects.count() == Indicator.objects.count() == 3 * 36
    assert not IndicatorGuidance.objects.filter(question="").exists()
    bc1 = IndicatorGuidance.objects.get(indicator__cycle__year=2025, indicator__code="BC-1")
    assert bc1.question.startswith("Did the state protect") and bc1.very_weak


def test_editing_records_history_and_is_for_editors(demo, people):
    indicator = Indicator.objects.get(cycle__year=2025, code="PM-1")
    with pytest.raises(PermissionDenied):
        guidance_update(indicator=indicator, user=people["researcher"], question="?")
    guidance = guidance_update(indicator=indicator, user=people["editor"], question="Is there a Focal Point?")
    latest = guidance.history.first()
    assert (latest.history_user, latest.question) == (people["editor"], "Is there a Focal Point?")
    assert guidance_update(indicator=indicator, user=people["editor"], question="Is there a Focal Point?")
    assert guidance.history.count() == 2  # the demo's row and the edit; saving the same text adds none


def test_csv_round_trip_and_refusals(demo, people):
    cycle = Cycle.objects.get(year=2025)
    text = codebook_csv(cycle)
    rows = read_codebook_csv(text.encode())
    assert len(rows) == 36 and rows[0]["code"] == "BC-1"
    rows[0]["question"] = "Edited question?"
    rows[1]["fair"] = "=cmd"  # exported with a guard, read back as written
    assert codebook_import(cycle=cycle, rows=rows, user=people["editor"]) == 2
    assert codebook_import(cycle=cycle, rows=rows, user=people["editor"]) == 0
    assert "'=cmd" in codebook_csv(cycle)
    assert read_codebook_csv(codebook_csv(cycle).encode())[1]["fair"] == "'=cmd"
    with pytest.raises(ValidationError):
        codebook_import(cycle=cycle, rows=[{"code": "XX-9", "question": "?"}], user=people["editor"])
    with pytest.raises(ValidationError):
        read_codebook_csv(b"title\nx\n")


def test_a_new_cycle_copies_the_codebook(demo):
    cycle = cycle_create(year=2028, previous=Cycle.objects.get(year=2025))
    assert IndicatorGuidance.objects.filter(indicator__cycle=cycle).count() == 36
    record = IndicatorGuidance.objects.get(indicator__cycle=cycle, indicator__code="BC-1").history.get()
    assert record.history_change_reason == "copied from the 2025 codebook"


def test_codebook_page_import_and_export(demo, user_client, django_assert_max_num_queries):
    editor = user_client("editor")
    url = reverse("method-codebook", args=[2025])
    editor.get(url)
    with django_assert_max_num_queries(6):
        assert editor.get(url).status_code == 200
    export = editor.get(reverse("method-codebook-export", args=[2025]))
    assert export["Content-Type"].startswith("text/csv") and b"BC-1" in export.content
    upload = SimpleUploadedFile("c.csv", b"code,question\nbc-2,Risk reduced?\n", "text/csv")
    editor.post(reverse("method-codebook-import", args=[2025]), {"file": upload})
    assert (
        IndicatorGuidance.objects.get(indicator__cycle__year=2025, indicator__code="BC-2").question == "Risk reduced?"
    )
    editor.post(reverse("method-coverage", args=[2025]), {"coverage_start": "2025-06-30", "coverage_end": "2022-07-01"})
    assert Cycle.objects.get(year=2025).coverage_start is None  # refused: start after end
    editor.post(reverse("method-coverage", args=[2025]), {"coverage_start": "2022-07-01", "coverage_end": "2025-06-30"})
    assert str(Cycle.objects.get(year=2025).coverage_end) == "2025-06-30"


def test_coverage_constraint_is_in_the_database(demo):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(year=2025).update(coverage_start="2025-01-01", coverage_end="2024-01-01")


def test_public_methodology_and_open_data(korea_2022, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        page = client.get(reverse("methodology", args=[2022])).content.decode()
    assert "1 July 2019 to 30 June 2022" in page and "Did the state protect its populations" in page
    data = client.get(reverse("methodology-json", args=[2022])).json()
    assert data["coverage_period"] == {"start": "2019-07-01", "end": "2022-06-30"}
    assert len(data["indicators"]) == 36 and set(data["indicators"][0]["levels"]) == {
        "Very Strong", "Strong", "Fair", "Weak", "Very Weak",
    }  # fmt: skip
    opendata = json.loads(client.get(reverse("public:regional-json", args=[2022])).content)
    assert opendata["methodology"]["indicators"][0]["question"] == data["indicators"][0]["question"]


def test_annex_data_export_carries_rating_changes(korea_2025, covered_2025, people):
    from assessments.workflow.services import item_update

    item = korea_2025.items.get(indicator__code="BC-1")
    item_update(
        item=item, user=people["researcher"], expected_version=item.version, rating="fair", change_rationale="Why [@x]."
    )
    korea_2025.refresh_from_db()
    snapshot = annex_build(korea_2025).to_snapshot()
    by_code = {indicator["code"]: indicator for indicator in snapshot["indicators"]}
    assert by_code["BC-1"]["rating_change"] == {
        "previous_cycle": 2022,
        "previous_rating": "Very Strong",
        "rationale": "Why [@x].",
        "sources": ["x"],
    }
    assert "rating_change" not in by_code["BC-2"]
