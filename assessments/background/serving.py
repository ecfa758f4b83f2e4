"""Published editions' files served as static files are: no middleware, no session, no database.

A rendered file's storage name is `editions/r2p-annex-<year>-<code>-v<n>.<sha256[:20]>.<ext>` (files.py): the name
holds the hash of the bytes, so the file behind a name never changes and its public URL,
`/files/editions/<the part after editions/>`, is cacheable for ever. `EditionFiles` wraps the WSGI application
(r2p/wsgi.py, so gunicorn and runserver both have it) and answers those URLs from MEDIA_ROOT through whitenoise's
StaticFile (Content-Length, ETag, Last-Modified, 304, HEAD, Range); every other path goes on to Django.
`edition_file_view` answers the same URL inside Django where the wrapper is absent (the test client, ASGI).

Only names of the exact published pattern are served, and only from the editions directory: a path with `..`,
a slash, a `-draft` name or anything else is a 404 before the file system is looked at. With another storage
(S3 through django-storages) the link is the storage's own URL (`default_storage.url(name)`) and these URLs
find nothing."""

import re
from email.utils import formatdate
from functools import cache
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse
from whitenoise.base import WhiteNoise
from whitenoise.responders import StaticFile
from whitenoise.string_utils import decode_path_info

from .files import IMMUTABLE, not_modified_response

PREFIX = "/files/editions/"
DIRECTORY = "editions/"
# r2p-annex-2022-KOR-v1.0123456789abcdef0123.pdf — drafts ("-draft") never match.
NAME = re.compile(
    r"\A(?P<stem>r2p-annex-[0-9]{4}-[A-Z0-9]{2,8}-v[0-9]{1,4})\.(?P<hash>[0-9a-f]{20})\.(?P<ext>pdf|docx|html|json|md)\Z"
)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}
INLINE = {"pdf", "html"}  # opened in the browser, as the per-format URLs always did; the others are saved


def edition_file_url(name: str) -> str:
    """The URL a reader is given for a stored edition file: ours on the file system, the storage's elsewhere."""
    if isinstance(default_storage, FileSystemStorage) and name.startswith(DIRECTORY):
        return PREFIX + name[len(DIRECTORY) :]
    return default_storage.url(name)


@cache
def _html_policy() -> str:
    from assessments.publishing.html import annex_css_source_hash

    # The standalone document embeds its stylesheet: that stylesheet and nothing else (no script, no requests).
    return (
        f"default-src 'none'; style-src {annex_css_source_hash()}; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )


def file_headers(match: re.Match) -> dict[str, str]:
    """Headers of a published file, from its name alone (the same on every server)."""
    ext = match["ext"]
    disposition = "inline" if ext in INLINE else "attachment"
    headers = {
        "Content-Type": CONTENT_TYPES[ext],
        "Content-Disposition": f'{disposition}; filename="{match["stem"]}.{ext}"',
        "Cache-Control": IMMUTABLE,
        "ETag": f'"{match["hash"]}"',
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if ext == "html":
        headers["Content-Security-Policy"] = _html_policy()
    return headers


def published_file_path(relative: str) -> tuple[Path, re.Match] | None:
    """The file behind `/files/editions/<relative>`, or None: only published names, only in the editions
    directory of the local storage, only regular files."""
    match = NAME.match(relative)
    if match is None or not isinstance(default_storage, FileSystemStorage):
        return None
    path = Path(default_storage.path(DIRECTORY + relative))
    if not path.is_file():
        return None
    return path, match


def _not_found(start_response) -> list[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "10")])
    return [b"Not found\n"]


class EditionFiles(WhiteNoise):
    """WSGI middleware: `/files/editions/<name>` from the editions directory, everything else to Django."""

    def __init__(self, application):
        super().__init__(application, allow_all_origins=False)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return self.application(environ, start_response)
        found = published_file_path(decode_path_info(path)[len(PREFIX) :])
        if found is None:
            return _not_found(start_response)
        file_path, match = found
        try:
            stat = file_path.stat()
        except OSError:
            return _not_found(start_response)
        headers = file_headers(match)
        headers["Last-Modified"] = formatdate(stat.st_mtime, usegmt=True)
        # whitenoise's responder: Content-Length, 304 on If-None-Match / If-Modified-Since, HEAD, Range.
        static_file = StaticFile(str(file_path), list(headers.items()), stat_cache={str(file_path): stat})
        return self.serve(static_file, environ, start_response)


def edition_file_view(request, name: str):
    """The same file inside Django, for servers without the WSGI wrapper: no database either."""
    found = published_file_path(name)
    if found is None:
        raise Http404("No such file.")
    file_path, match = found
    headers = file_headers(match)
    if not_modified := not_modified_response(request, headers["ETag"]):
        return not_modified
    stat = file_path.stat()
    content_type = headers.pop("Content-Type")
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type)
    else:
        response = FileResponse(file_path.open("rb"), content_type=content_type)
    for key, value in headers.items():  # a Content-Security-Policy set here is kept by the CSP middleware
        response[key] = value
    response["Content-Length"] = str(stat.st_size)
    response["Last-Modified"] = formatdate(stat.st_mtime, usegmt=True)
    return response
