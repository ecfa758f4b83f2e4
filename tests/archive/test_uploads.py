"""Uploads read by a background task (a request never parses), the original file attached to the published
edition and served for download, and the proposed sources corrected on the review screen."""

import re
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from assessments.archive.originals import original_store
from assessments.archive.services import archive_publish
from assessments.archive.tasks import read_archive_upload
from assessments.archive.uploads import archive_upload_read, archive_uploads_prune
from assessments.models import ArchiveUpload, ArchiveUploadStatus, Citation, Source
from r2p.settings.base import TASK_BACKENDS
from tests.background.conftest import BACKENDS, Queue
from tests.factories import SourceFactory

from .conftest import korea
from .test_views import post_upload, review_token

PDF_PARSER = "assessments.archive.convert.pdf_to_text"


def _form_data(form, **changes) -> dict:
    """Every field of the bound review form as the browser posts it back, with `changes`."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    data.update(changes)
    return data


# --- 3. reading in the background --------------------------------------------------------------------------


def test_the_upload_request_stores_the_file_and_enqueues_never_parses(bare, client, exported_korea):
    client.force_login(bare["editor"])
    content = exported_korea["pdf"].read_bytes()
    upload_file = SimpleUploadedFile("annex-kor-2022.pdf", content, "application/pdf")
    with (
        mock.patch(PDF_PARSER, side_effect=AssertionError("a request parsed the PDF")) as parser,
        mock.patch("assessments.background.retry.enqueue") as enqueue,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post(reverse("archive-import"), {"file": upload_file, "country": "KOR", "cycle": 2022})
    assert parser.call_count == 0
    upload = ArchiveUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("archive-upload", args=[upload.pk])
    enqueue.assert_called_once_with(read_archive_upload, upload.pk)
    assert upload.status == ArchiveUploadStatus.READING and upload.content_type == "application/pdf"
    # Stored whole under a content-hashed name, in the default storage every worker shares.
    assert upload.name == f"archive/annex-kor-2022.{upload.sha256[:20]}.pdf"
    with default_storage.open(upload.name, "rb") as handle:
        assert handle.read() == content


def test_being_read_then_ready_then_review(bare, client, django_assert_max_num_queries):
    client.force_login(bare["editor"])
    upload_file = SimpleUploadedFile(
        "annex.txt", Path("tests/archive/data/annex-2022-republic-of-korea.txt").read_bytes()
    )
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = client.post(reverse("archive-import"), {"file": upload_file, "country": "KOR", "cycle": 2022})
    assert len(callbacks) == 1  # the task, enqueued after commit
    status_url = response["Location"]
    with django_assert_max_num_queries(6):  # session, user, the upload with country and cycle: nothing per row
        page = client.get(status_url)
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert 'role="status" aria-live="polite"' in html and "annex.txt</strong> is being read…" in html
    assert f'hx-get="{status_url}" hx-trigger="every 1s"' in html
    # htmx polls the same URL and gets the status partial only.
    partial = client.get(status_url, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "is being read…" in partial.content.decode()

    callbacks[0]()  # the worker runs the task
    assert ArchiveUpload.objects.get().status == ArchiveUploadStatus.READY
    ready = client.get(status_url, headers={"HX-Request": "true"})
    assert ready.status_code == 200 and ready["HX-Redirect"].startswith(reverse("archive-review") + "?token=")
    response = client.get(status_url)
    assert response.status_code == 302 and "token=" in response["Location"]
    assert "Review the import: Republic of Korea 2022" in client.get(response["Location"]).content.decode()


def test_a_file_that_cannot_be_read_says_why_clearly(bare, client):
    client.force_login(bare["editor"])
    status_url = post_upload(client, "annex.pdf", b"%PDF-1.4 this is no annex")
    upload = ArchiveUpload.objects.get()
    assert upload.status == ArchiveUploadStatus.FAILED and upload.error
    page = client.get(status_url).content.decode()
    assert 'role="alert"' in page and "r2p could not read annex.pdf" in page and "Nothing was written." in page
    assert "hx-trigger" not in page  # polling stops
    # Reading it again (a retried task) changes nothing.
    assert archive_upload_read(upload.pk) == ArchiveUploadStatus.FAILED


def test_someone_elses_upload_is_not_found(bare, client):
    client.force_login(bare["editor"])
    status_url = post_upload(client, "annex.txt", b"not much of an annex")
    from assessments.accounts.services import demo_users_ensure

    client.force_login(demo_users_ensure()["admin"][0])
    assert client.get(status_url).status_code == 404


# --- 1. the original file, attached and served -------------------------------------------------------------


def test_storing_an_original_is_atomic_and_idempotent(bare):
    first = original_store(b"annex bytes", file_name="Annex 2022 (final).docx")
    again = original_store(b"annex bytes", file_name="Annex 2022 (final).docx")
    assert first == again
    assert re.fullmatch(r"archive/Annex-2022-final\.[0-9a-f]{20}\.docx", first.name)
    assert first.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    folder = Path(default_storage.path("archive"))
    assert not list(folder.glob(".partial-*"))  # the temporary file was renamed into place


def test_published_import_carries_the_original_for_download(
    bare, client, reference_text, django_assert_max_num_queries
):
    client.force_login(bare["editor"])
    content = reference_text.encode("utf-8")
    token = review_token(client, post_upload(client, "annex-2022-republic-of-korea.txt", content))
    response = client.post(reverse("archive-confirm"), {"token": token, "publish": "on", "published_on": "2022-09-01"})
    assert response.status_code == 302
    edition = korea(2022).editions.get()
    assert edition.original.sha256 == ArchiveUpload.objects.get().sha256
    assert edition.original.file_name == "annex-2022-republic-of-korea.txt"

    client.logout()
    with django_assert_max_num_queries(6):  # the editions with their originals in one query each: not per edition
        page = client.get(reverse("public:annex", args=[2022, "KOR"]))
    html = page.content.decode()
    url = reverse("public:annex-original", args=[2022, "KOR", 1])
    assert f'<a href="{url}" download>Original publication (text)</a>' in html
    assert "as published 1 September 2022" in html

    with django_assert_max_num_queries(3):
        download = client.get(url)
    assert download.status_code == 200 and download.content == content
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="r2p-annex-2022-KOR-v1-original.txt"'
    assert download["Cache-Control"] == "public, max-age=31536000, immutable"
    assert download["X-Content-Type-Options"] == "nosniff"
    etag = download["ETag"]
    assert etag == f'"{edition.original.sha256[:32]}"'
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified["ETag"] == etag


def test_an_edition_without_an_original_has_no_link(bare, client, reference_text):
    client.force_login(bare["editor"])
    client.post(reverse("archive-confirm"), {"token": _upload_and_token(client, reference_text)})  # not published
    archive_publish(
        country_assessment=korea(2022), user=bare["editor"], published_on="2022-09-01", file_name="annex.txt"
    )
    assert "Original publication" not in client.get(reverse("public:annex", args=[2022, "KOR"])).content.decode()
    assert client.get(reverse("public:annex-original", args=[2022, "KOR", 1])).status_code == 404


def test_import_annex_publish_attaches_the_docx(bare, exported_korea, capsys):
    call_command(
        "import_annex",
        str(exported_korea["docx"]),
        country="KOR",
        cycle=2022,
        user="editor",
        publish=True,
        published_on="2022-09-01",
    )
    original = korea(2022).editions.get().original
    assert original.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert original.label == "DOCX" and original.file_name == "annex-kor-2022.docx"
    with default_storage.open(original.name, "rb") as handle:
        assert handle.read() == exported_korea["docx"].read_bytes()
    assert "Original file attached for download" in capsys.readouterr().out


# --- 2. proposed sources corrected before confirming ---------------------------------------------------------


def _upload_and_token(client, text: str) -> str:
    return review_token(client, post_upload(client, "annex-kor-2022.txt", text.encode("utf-8")))


def _review(client, token):
    response = client.get(reverse("archive-review"), {"token": token})
    assert response.status_code == 200
    return response


def test_proposed_sources_are_corrected_or_replaced_by_library_sources(
    bare, client, reference_text, django_assert_max_num_queries
):
    client.force_login(bare["editor"])
    token = _upload_and_token(client, reference_text)
    with django_assert_max_num_queries(15):  # the source editor adds no query per source
        response = _review(client, token)
    form = response.context["form"]
    proposed = form.proposed
    html = response.content.decode()
    assert f"<code>@{proposed[0]}</code>" in html and 'name="s0-title"' in html and 'form="corrections"' in html
    library = SourceFactory(key="hrw-world-report-2022", title="World Report 2022")
    citing_second = [n for n, footnote in form.parsed.footnotes.items() if proposed[1] in footnote.keys]
    data = _form_data(
        form,
        token=token,
        **{
            "s0-title": "A corrected title",
            "s0-url": "https://example.org/corrected",
            "s0-issued": "2021-03-05",
            "s0-authors": "Kwok, Andre; Nathaneal Kwon",
            "s1-use": "@hrw-world-report-2022",
        },
    )
    response = client.post(reverse("archive-review"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    token = re.search(r"token=(\w+)", response["Location"]).group(1)
    page = client.get(response["Location"]).content.decode()
    assert f"source @{proposed[0]}" in page and f"@{proposed[1]} cited as library source @hrw-world-report-2022" in page

    response = client.post(reverse("archive-confirm"), {"token": token})
    assert response.status_code == 302
    corrected = Source.objects.get(key=proposed[0])
    assert corrected.title == "A corrected title" and corrected.url == "https://example.org/corrected"
    assert (corrected.issued_year, corrected.issued_month, corrected.issued_day) == (2021, 3, 5)
    assert corrected.authors == [{"family": "Kwok", "given": "Andre"}, {"family": "Kwon", "given": "Nathaneal"}]
    assert not Source.objects.filter(key=proposed[1]).exists()
    assert Source.objects.count() == len(proposed)  # one proposal fewer, the library source instead
    assert citing_second and Citation.objects.filter(source=library).exists()


def test_bad_source_input_is_explained_and_loses_no_other_correction(bare, client, reference_text):
    client.force_login(bare["editor"])
    token = _upload_and_token(client, reference_text)
    form = _review(client, token).context["form"]
    data = _form_data(
        form,
        token=token,
        **{
            "r0-notes": "My corrected notes for BC-1.",
            "s0-url": "not a web address",
            "s0-issued": "last spring",
            "s1-title": "",
            "s2-use": "no-such-source",
            "s3-title": "Kept while the others are wrong",
        },
    )
    response = client.post(reverse("archive-review"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Everything you typed is still on this page" in html
    assert "Enter a valid URL." in html
    assert 'aria-invalid="true" aria-describedby="id_s0-url-error"' in html
    assert "Give the year (2022) or the date (2022-03-01), not “last spring”." in html
    assert f"@{form.proposed[1]} needs a title" in html
    assert "There is no source @no-such-source in the library" in html
    # What was typed stays in the fields, the other corrections too.
    assert "My corrected notes for BC-1.</textarea>" in html
    assert 'value="Kept while the others are wrong"' in html and 'value="not a web address"' in html
    # Nothing was applied to the staged import: the review shows the import as read.
    page = _review(client, token).context["form"]
    assert page["r0-notes"].value() != "My corrected notes for BC-1."


@pytest.mark.parametrize("value", ["2022", "2022-03", "2022-03-01", "n.d.", ""])
def test_accepted_dates(value):
    from assessments.archive.forms import _date_parts

    assert _date_parts(value) is not None
    assert _date_parts("2022-13") is None and _date_parts("22") is None


# --- the real queue: the task is found by path and run by the worker ---------------------------------------


@pytest.fixture(params=BACKENDS)
def queue(request, settings) -> Queue:
    name = request.param
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS[name]}}
    if name == "rq":
        import django_rq

        django_rq.get_connection("default").flushdb()
    settings.R2P_TASKS_BACKEND = name
    return Queue(name)


def test_the_worker_reads_the_upload_from_the_queue(bare, client, queue, reference_text):
    client.force_login(bare["editor"])
    status_url = post_upload(client, "annex.txt", reference_text.encode("utf-8"))
    assert queue.waiting() == 1 and ArchiveUpload.objects.get().status == ArchiveUploadStatus.READING
    assert "is being read…" in client.get(status_url).content.decode()
    queue.run()
    assert ArchiveUpload.objects.get().status == ArchiveUploadStatus.READY
    token = review_token(client, status_url)
    assert client.get(reverse("archive-review"), {"token": token}).status_code == 200


def test_a_lost_task_is_asked_for_again_then_the_page_says_so(bare, client):
    from django.core.cache import cache

    cache.clear()  # "asked again" markers are keyed by upload id
    client.force_login(bare["editor"])
    with TestCase.captureOnCommitCallbacks(execute=False):  # the task is lost
        response = client.post(
            reverse("archive-import"),
            {"file": SimpleUploadedFile("annex.txt", b"text"), "country": "KOR", "cycle": 2022},
        )
    upload = ArchiveUpload.objects.get()
    ArchiveUpload.objects.filter(pk=upload.pk).update(created_at=upload.created_at - timedelta(minutes=3))
    with mock.patch("assessments.archive.uploads.enqueue") as enqueue:
        client.get(response["Location"])
        client.get(response["Location"])
    enqueue.assert_called_once_with(read_archive_upload, upload.pk)  # once, whoever polls
    ArchiveUpload.objects.filter(pk=upload.pk).update(created_at=upload.created_at - timedelta(minutes=11))
    page = client.get(response["Location"]).content.decode()
    assert "taking too long" in page and 'role="alert"' in page and "hx-trigger" not in page


def test_old_uploads_are_pruned_but_a_published_original_stays(bare, client, reference_text):
    client.force_login(bare["editor"])
    token = review_token(client, post_upload(client, "published.txt", reference_text.encode("utf-8")))
    client.post(reverse("archive-confirm"), {"token": token, "publish": "on", "published_on": "2022-09-01"})
    post_upload(client, "forgotten.txt", b"an annex nobody confirmed")
    published, forgotten = ArchiveUpload.objects.order_by("pk")
    ArchiveUpload.objects.update(created_at=timezone.now() - timedelta(days=3))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert archive_uploads_prune() == 2
    assert not ArchiveUpload.objects.exists()
    assert default_storage.exists(published.name) and not default_storage.exists(forgotten.name)
    assert korea(2022).editions.get().original.name == published.name
