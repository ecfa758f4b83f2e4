"""Publishing enqueues one render task per format; the worker stores the files; downloads come from storage."""

import os
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from assessments.background import files as edition_files
from assessments.background.reconcile import reconcile
from assessments.models import Edition, EditionFile
from assessments.publishing.exports import FORMATS
from assessments.publishing.services import annex_publish


def download_url(fmt: str, number: int = 1) -> str:
    return reverse("public:annex-download", args=[2022, "KOR", number, fmt])


def publish(korea, django_capture_on_commit_callbacks) -> Edition:
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username="editor")
    with django_capture_on_commit_callbacks(execute=True):
        return annex_publish(country_assessment=korea, user=editor)


def test_publishing_enqueues_every_format_and_the_worker_stores_them(
    queue, korea_unpublished, django_capture_on_commit_callbacks
):
    edition = publish(korea_unpublished, django_capture_on_commit_callbacks)
    assert queue.waiting() == len(FORMATS)
    assert not EditionFile.objects.exists()  # nothing is rendered inside the publishing request
    queue.run()
    stored = {record.fmt: record for record in EditionFile.objects.filter(edition=edition)}
    assert set(stored) == set(FORMATS)
    for fmt, record in stored.items():
        assert default_storage.exists(record.name)
        assert record.sha256[:20] in record.name and record.name.endswith(f".{fmt}")
        with default_storage.open(record.name, "rb") as handle:
            assert len(handle.read()) == record.size
    assert queue.waiting() == 0


def test_until_the_files_are_ready_the_page_says_so_and_no_request_renders(
    queue, korea_unpublished, client, django_capture_on_commit_callbacks, monkeypatch
):
    publish(korea_unpublished, django_capture_on_commit_callbacks)
    monkeypatch.setattr(edition_files, "annex_export", lambda *a, **k: pytest.fail("a request rendered a file"))
    page = client.get(reverse("public:annex", args=[2022, "KOR"])).content.decode()
    assert "(being prepared)" in page
    response = client.get(download_url("pdf"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    text = response.content.decode()
    assert "being prepared" in text and reverse("public:annex-edition", args=[2022, "KOR", 1]) in text


def test_downloads_are_served_from_storage_with_immutable_caching(
    queue, korea_unpublished, client, django_capture_on_commit_callbacks, monkeypatch, django_assert_num_queries
):
    edition = publish(korea_unpublished, django_capture_on_commit_callbacks)
    queue.run()
    monkeypatch.setattr(edition_files, "annex_export", lambda *a, **k: pytest.fail("a request rendered a file"))
    record = EditionFile.objects.get(edition=edition, fmt="pdf")
    with django_assert_num_queries(2):  # the edition, its stored file
        response = client.get(download_url("pdf"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF") and len(body) == record.size
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{edition.content_hash}-pdf"' and response["Last-Modified"]
    with django_assert_num_queries(1):  # a 304 reads the edition's hash only: no file, no rendering
        not_modified = client.get(download_url("pdf"), headers={"If-None-Match": response["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    page = client.get(reverse("public:annex", args=[2022, "KOR"])).content.decode()
    assert "(being prepared)" not in page


def test_x_accel_redirect_hands_the_file_to_nginx(
    queue, korea_unpublished, client, settings, django_capture_on_commit_callbacks
):
    edition = publish(korea_unpublished, django_capture_on_commit_callbacks)
    queue.run()
    settings.R2P_X_ACCEL_REDIRECT = "/_protected/"
    response = client.get(download_url("docx"))
    record = EditionFile.objects.get(edition=edition, fmt="docx")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{record.name}"
    assert response["Cache-Control"].endswith("immutable")


def test_rendering_twice_is_harmless(queue, korea_unpublished, django_capture_on_commit_callbacks):
    edition = publish(korea_unpublished, django_capture_on_commit_callbacks)
    first = edition_files.edition_file_render(edition, "md")
    again = edition_files.edition_file_render(edition, "md")
    assert first.pk == again.pk and EditionFile.objects.filter(edition=edition, fmt="md").count() == 1


def test_a_worker_killed_mid_render_leaves_no_half_file_and_the_restart_completes(
    queue, korea_unpublished, settings, tmp_path, monkeypatch
):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path  # this test's own storage, to see every file in it
    editor = get_user_model().objects.get(username="editor")
    edition = annex_publish(country_assessment=korea_unpublished, user=editor)  # its enqueue is lost (no commit)

    def killed(source, target):  # the process dies between writing the bytes and renaming them into place
        raise SystemExit("killed")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", killed)
        with pytest.raises(SystemExit):
            edition_files.edition_file_render(edition, "pdf")
    assert not EditionFile.objects.filter(edition=edition).exists()
    assert not [path for path in Path(tmp_path).rglob("*") if path.is_file()], "a half-written file was left"
    # A marker says the PDF render is queued (it died with the worker): the restart's sweep enqueues it anyway.
    cache.set(edition_files._enqueued_key(edition, "pdf"), 1, 600)
    assert reconcile() == {"files": len(FORMATS), "releases": 0}
    queue.run()
    assert set(EditionFile.objects.filter(edition=edition).values_list("fmt", flat=True)) == set(FORMATS)
    stored = sorted(path.name for path in Path(tmp_path).rglob("*") if path.is_file())
    assert len(stored) == len(FORMATS) and not [name for name in stored if name.startswith(".partial-")]


def test_a_row_whose_file_is_gone_is_rendered_again(
    queue, korea_unpublished, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    edition = publish(korea_unpublished, django_capture_on_commit_callbacks)
    queue.run()
    record = EditionFile.objects.get(edition=edition, fmt="md")
    default_storage.delete(record.name)  # storage wiped, or a backup restored without its media
    assert client.get(download_url("md")).status_code == 503  # asked the worker; no 500, no rendering here
    queue.run()
    assert client.get(download_url("md")).status_code == 200
