"""Published files by their hashed name: answered before Django (r2p/wsgi.py), safely, and linked from the page."""

import io
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from assessments.background import files as edition_files
from assessments.background.serving import PREFIX, EditionFiles, edition_file_url
from assessments.models import Edition
from assessments.publishing.exports import FORMATS

NOT_DJANGO = object()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # this test's own storage
    return tmp_path


@pytest.fixture
def edition(korea_2022, media) -> Edition:
    return Edition.objects.get(country_assessment=korea_2022, number=1)


@pytest.fixture
def stored(edition):
    """Format → the edition's stored file (rendered into this test's storage, as the worker does)."""
    return {fmt: edition_files.edition_file_render(edition, fmt) for fmt in ("pdf", "html", "json", "docx")}


class Server:
    """Calls the WSGI wrapper as gunicorn would; Django behind it is a stub that says it was reached."""

    def __init__(self):
        self.django_calls = []

        def django(environ, start_response):
            self.django_calls.append(environ["PATH_INFO"])
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"django"]

        self.app = EditionFiles(django)

    def request(self, path: str, method: str = "GET", **headers):
        environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "wsgi.input": io.BytesIO()}
        for key, value in headers.items():
            environ["HTTP_" + key.upper()] = value
        setup_testing_defaults(environ)
        captured = {}

        def start_response(status, header_list, exc_info=None):
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(header_list)

        chunks = self.app(environ, start_response)
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return captured["status"], captured["headers"], body


@pytest.fixture
def server():
    return Server()


def url(record) -> str:
    return PREFIX + record.name.removeprefix("editions/")


def test_a_published_file_is_served_with_static_file_headers_and_no_database(server, stored, django_assert_num_queries):
    record = stored["pdf"]
    with django_assert_num_queries(0):
        status, headers, body = server.request(url(record))
    assert status == 200 and server.django_calls == []
    assert body.startswith(b"%PDF") and len(body) == record.size == int(headers["Content-Length"])
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'inline; filename="r2p-annex-2022-KOR-v1.pdf"'
    assert headers["ETag"] == f'"{record.sha256[:20]}"'
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Last-Modified"] and headers["X-Content-Type-Options"] == "nosniff"
    docx = stored["docx"]
    status, headers, _ = server.request(url(docx))
    assert headers["Content-Disposition"] == 'attachment; filename="r2p-annex-2022-KOR-v1.docx"'
    assert headers["Content-Type"].startswith("application/vnd.openxmlformats")


def test_not_modified_head_and_range(server, stored):
    record = stored["json"]
    etag = server.request(url(record))[1]["ETag"]
    status, headers, body = server.request(url(record), if_none_match=etag)
    assert status == 304 and body == b""
    status, headers, body = server.request(url(record), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == record.size
    status, headers, body = server.request(url(record), range="bytes=0-9")
    assert status == 206 and len(body) == 10 and headers["Content-Range"] == f"bytes 0-9/{record.size}"
    assert server.django_calls == []


def test_the_html_file_carries_its_own_strict_policy(server, stored):
    status, headers, body = server.request(url(stored["html"]))
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "'sha256-" in policy and "script" not in policy


@pytest.mark.parametrize(
    "path",
    [
        "r2p-annex-2022-KOR-v1.0123456789abcdef0123.pdf",  # a well-formed name with no file
        "r2p-annex-2022-KOR-v1.pdf",
        "../db.sqlite3",
        "..%2F..%2Fdb.sqlite3",
        "%2e%2e/%2e%2e/etc/passwd",
        "./r2p-annex-2022-KOR-v1.0123456789abcdef0123.pdf",
        "sub/../r2p-annex-2022-KOR-v1.0123456789abcdef0123.pdf",
        "..\\archive\\x.pdf",
        "",
    ],
)
def test_unknown_names_and_traversal_attempts_are_404_without_django(server, stored, path):
    status, _, _ = server.request(PREFIX + path)
    assert status == 404 and server.django_calls == []


def test_files_outside_the_editions_directory_or_not_published_are_never_served(server, stored, media):
    name = stored["pdf"].name.removeprefix("editions/")
    # The same name elsewhere in storage (archive uploads are drafts until published): not reachable.
    (media / "archive").mkdir(exist_ok=True)
    (media / "archive" / name.replace("v1", "v7")).write_bytes(b"secret")
    status, _, _ = server.request(PREFIX + "../archive/" + name.replace("v1", "v7"))
    assert status == 404
    # A draft render and a half-written temporary file in the editions directory: names that never match.
    draft = "r2p-annex-2025-KOR-draft.0123456789abcdef0123.pdf"
    (media / "editions" / draft).write_bytes(b"draft")
    (media / "editions" / ".partial-1-abc.pdf").write_bytes(b"half")
    (media / "editions" / "sub").mkdir()
    for path in (draft, ".partial-1-abc.pdf", "sub"):
        status, _, _ = server.request(PREFIX + path)
        assert status == 404
    assert server.django_calls == []


def test_a_drafts_file_stored_in_the_editions_directory_is_never_served(server, client, korea_2025, media):
    from assessments.publishing.annex import annex_build
    from assessments.publishing.html import annex_body_html

    annex = annex_build(korea_2025)
    draft = edition_files.render_and_store(annex.to_snapshot(), annex_body_html(annex), "md")
    assert draft.name.startswith("editions/") and (media / draft.name).is_file()
    assert server.request(PREFIX + draft.name.removeprefix("editions/"))[0] == 404
    assert client.get(PREFIX + draft.name.removeprefix("editions/")).status_code == 404


def test_other_paths_go_to_django(server):
    assert server.request("/annex/2022/KOR/")[2] == b"django"
    assert server.request("/files/other")[2] == b"django"
    assert server.django_calls == ["/annex/2022/KOR/", "/files/other"]


def test_the_deployed_application_has_the_wrapper():
    from r2p import wsgi

    assert isinstance(wsgi.application, EditionFiles)


def test_the_django_fallback_serves_the_same_without_queries(client, stored, django_assert_num_queries):
    record = stored["pdf"]
    with django_assert_num_queries(0):
        response = client.get(url(record))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == Path(default_storage.path(record.name)).read_bytes()
    assert response["Content-Disposition"] == 'inline; filename="r2p-annex-2022-KOR-v1.pdf"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{record.sha256[:20]}"' and response["Content-Length"] == str(record.size)
    with django_assert_num_queries(0):
        assert client.get(url(record), headers={"If-None-Match": response["ETag"]}).status_code == 304
    head = client.head(url(record))
    assert head.status_code == 200 and head.content == b""
    html = client.get(url(stored["html"]))
    assert html["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.get(PREFIX + "r2p-annex-2022-KOR-v1.0123456789abcdef0123.pdf").status_code == 404


def test_the_annex_page_links_the_hashed_urls_of_ready_files_only(client, stored):
    page = client.get(reverse("public:annex", args=[2022, "KOR"])).content.decode()
    for record in stored.values():
        assert f'href="{url(record)}"' in page
    missing = sorted(set(FORMATS) - set(stored))
    assert missing == ["md"]
    assert f'href="{reverse("public:annex-download", args=[2022, "KOR", 1, "md"])}"' in page
    assert page.count("(being prepared)") == 1


def test_a_row_whose_file_is_gone_gets_no_hashed_link(client, stored):
    default_storage.delete(stored["json"].name)
    page = client.get(reverse("public:annex", args=[2022, "KOR"])).content.decode()
    assert url(stored["json"]) not in page and page.count("(being prepared)") == 2
    assert f'href="{reverse("public:annex-download", args=[2022, "KOR", 1, "json"])}"' in page


def test_the_per_format_urls_still_answer(client, stored):
    response = client.get(reverse("public:annex-download", args=[2022, "KOR", 1, "pdf"]))
    assert response.status_code == 200


def test_with_another_storage_the_link_is_the_storages_url(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    name = "editions/r2p-annex-2022-KOR-v1.0123456789abcdef0123.pdf"
    assert edition_file_url(name) == default_storage.url(name) == "/media/" + name


def test_the_file_system_link_is_ours(media):
    name = "editions/r2p-annex-2022-KOR-v1.0123456789abcdef0123.pdf"
    assert edition_file_url(name) == "/files/editions/r2p-annex-2022-KOR-v1.0123456789abcdef0123.pdf"
