"""Editions are read-only in the admin; export_annex writes every format and refuses unpublished ones."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Edition


@pytest.fixture
def edition(korea_2022) -> Edition:
    return Edition.objects.get(country_assessment=korea_2022)


def test_admin_shows_editions_read_only(user_client, edition):
    client = user_client("admin")
    assert client.get(reverse("admin:assessments_edition_changelist")).status_code == 200
    change_url = reverse("admin:assessments_edition_change", args=[edition.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and 'type="submit"' not in page.content.decode().split("<form")[-1]
    response = client.post(change_url, {"errata": "changed", "html": "changed"})
    assert response.status_code == 403
    assert client.get(reverse("admin:assessments_edition_delete", args=[edition.pk])).status_code == 403
    assert (
        client.post(reverse("admin:assessments_edition_delete", args=[edition.pk]), {"post": "yes"}).status_code == 403
    )
    assert client.get(reverse("admin:assessments_edition_add")).status_code == 403
    fresh = Edition.objects.get(pk=edition.pk)
    assert (fresh.errata, fresh.html) == (edition.errata, edition.html)
    changelist = client.post(
        reverse("admin:assessments_edition_changelist"),
        {"action": "delete_selected", "_selected_action": [edition.pk]},
    )
    assert changelist.status_code in (200, 302)
    assert Edition.objects.filter(pk=edition.pk).exists()


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "json", "md"])
def test_export_annex_writes_the_latest_edition(edition, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    call_command("export_annex", "KOR", "2022", "--format", fmt, "--output", str(out))
    content = out.read_bytes()
    assert content
    if fmt == "json":
        data = json.loads(content)
        assert (data["edition"], data["score"], data["score_change"]) == (1, 73, -1)
    if fmt == "pdf":
        assert content.startswith(b"%PDF-")


def test_export_annex_needs_a_published_edition_unless_draft(demo, tmp_path):
    with pytest.raises(CommandError, match="has not been published; .* --draft"):
        call_command("export_annex", "KOR", "2025", "--format", "pdf", "--output", str(tmp_path / "x.pdf"))
    call_command("export_annex", "kor", "2025", "--format", "json", "--draft", "--output", str(tmp_path / "d.json"))
    assert json.loads((tmp_path / "d.json").read_text())["edition"] is None
    with pytest.raises(CommandError, match="no edition 7"):
        call_command("export_annex", "KOR", "2022", "--edition", "7", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="no assessment of XYZ"):
        call_command("export_annex", "XYZ", "2022", "--output", str(tmp_path / "x.pdf"))


def test_export_annex_to_stdout(edition, capsysbinary):
    call_command("export_annex", "KOR", "2022", "--format", "md")
    assert capsysbinary.readouterr().out.startswith(b"# REPUBLIC OF KOREA")
