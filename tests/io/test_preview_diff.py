"""The import preview shows what changes in the notes as a word diff, and collapses the unchanged rows."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.io.services import import_file

from .conftest import csv_bytes, full_country_rows


def test_preview_shows_a_word_diff_and_collapses_unchanged_rows(user_client, editor):
    rows = full_country_rows("KOR", 2025)
    report = import_file(
        "indicator-assessments", io.BytesIO(csv_bytes(rows)), user=editor, dry_run=False, file_name="a.csv"
    )
    assert report.written
    changed = [dict(row) for row in rows]
    changed[1]["notes"] = changed[1]["notes"].replace("Notes on", "Fresh <b>notes</b> on")
    upload = SimpleUploadedFile("b.csv", csv_bytes(changed), content_type="text/csv")
    response = user_client("editor").post(reverse("data-import"), {"resource": "indicator-assessments", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<del class="diff-del">Notes</del>' in html
        and '<ins class="diff-ins">Fresh &lt;b&gt;notes&lt;/b&gt;</ins>' in html
    )
    assert "characters" not in html
    assert "35 unchanged rows" in html and "<details" in html
    assert html.count('class="io-row-skip"') == 0  # not one table row each
    assert html.count('class="io-row-update"') == 1
