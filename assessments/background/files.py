"""Published editions' files: rendered by a task, stored whole under content-hashed names, served from storage.

A request never renders a published edition: publishing enqueues one render task per format; until a file's
row exists the download answers "being prepared". A row (`EditionFile`) is written only after its file is
complete in storage: on the file system the bytes go to a temporary name in the same directory and are
renamed into place (atomic), so a worker killed mid-render leaves no half file; an S3 upload appears whole or
not at all. Names hold the SHA-256 of the bytes, so a re-render after a crash writes the same name again."""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date

from assessments.background.models import HashedStorageFile
from assessments.models import Edition, EditionFile
from assessments.publishing.annex import AnnexData, content_hash
from assessments.publishing.exports import FORMATS, RENDERER_VERSION, annex_export

from .reclaim import partial_prefix

# How long a "render is queued" marker stops a second enqueue of the same file.
ENQUEUED_SECONDS = 10 * 60
# Files larger than this are streamed (FileResponse); smaller ones are read in one go.
STREAM_OVER_BYTES = 512 * 1024
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class StoredFile:
    fmt: str
    name: str
    sha256: str
    size: int
    content_type: str


def file_store_whole(name: str, content: bytes) -> str:
    """Put `content` under `name` whole: temporary file + rename on the file system; one upload elsewhere."""
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        # The temporary name says which process writes it: reclaim.partial_files_remove() removes a dead one's.
        descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=partial_prefix(), suffix=path.suffix)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(partial, 0o644)
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return name
    if storage.exists(name):  # same name, same bytes
        return name
    return storage.save(name, ContentFile(content))


def render_and_store(snapshot: dict, html: str, fmt: str) -> StoredFile:
    """Render one format of an edition's frozen snapshot (calling the export renderers) and store it."""
    export = annex_export(AnnexData.from_snapshot(snapshot), fmt, body_html=html)
    digest = hashlib.sha256(export.content).hexdigest()
    stem, _, extension = export.filename.rpartition(".")
    name = file_store_whole(f"editions/{stem}.{digest[:20]}.{extension}", export.content)
    return StoredFile(fmt, name, digest, len(export.content), export.content_type)


def _record(edition: Edition, stored: StoredFile) -> EditionFile:
    record, _ = EditionFile.objects.get_or_create(
        edition=edition,
        fmt=stored.fmt,
        renderer_version=RENDERER_VERSION,
        defaults={
            "name": stored.name,
            "sha256": stored.sha256,
            "size": stored.size,
            "content_type": stored.content_type,
            "rendered_at": timezone.now(),
        },
    )
    return record


def edition_file_render(edition: Edition, fmt: str) -> EditionFile:
    """Idempotent: the edition's file in `fmt`, rendered and stored unless it already is."""
    existing = EditionFile.objects.filter(edition=edition, fmt=fmt, renderer_version=RENDERER_VERSION).first()
    if existing is not None and default_storage.exists(existing.name):
        return existing
    stored = render_and_store(edition.snapshot, edition.html, fmt)
    if existing is not None:  # the row outlived its file (storage wiped, a restored backup): point it anew
        existing.name, existing.sha256, existing.size = stored.name, stored.sha256, stored.size
        existing.rendered_at = timezone.now()
        existing.save(update_fields=["name", "sha256", "size", "rendered_at"])
        return existing
    record = _record(edition, stored)
    cache.delete(_enqueued_key(edition, fmt))
    return record


@dataclass(frozen=True)
class PreparedFiles:
    content_hash: str
    files: dict[str, StoredFile]


def edition_files_prepare(snapshot: dict, html: str) -> PreparedFiles:
    """Every format of a future edition, stored before the edition exists (scheduled releases)."""
    return PreparedFiles(content_hash(snapshot), {fmt: render_and_store(snapshot, html, fmt) for fmt in FORMATS})


def edition_files_after_publish(edition: Edition, *, prepared: PreparedFiles | None = None) -> None:
    """Called by `annex_publish` inside its transaction, after the edition is saved.

    With `prepared` files of the same snapshot (a scheduled release) their rows are written now, so the edition
    and its files become visible in the same commit; otherwise one render task per format is enqueued after
    the commit."""
    if prepared is not None and prepared.content_hash == edition.content_hash:
        for stored in prepared.files.values():
            _record(edition, stored)
        return
    edition_files_enqueue(edition)


def _enqueued_key(edition: Edition, fmt: str) -> str:
    return f"r2p:render-enqueued:{edition.pk}:{edition.content_hash}:{fmt}:{RENDERER_VERSION}"


def edition_files_enqueue(edition: Edition, formats=None, *, force: bool = False, on_commit: bool = True) -> None:
    """Enqueue the rendering of the edition's formats once each (a marker in the shared cache), after commit.

    `force` (the worker's start-up sweep) enqueues even when a marker says a render is queued: that render
    may have died with a worker. `on_commit=False`: the edition is committed already (a download request)."""
    from .retry import enqueue
    from .tasks import render_edition_file

    def send() -> None:
        for fmt in formats or FORMATS:
            if cache.add(_enqueued_key(edition, fmt), 1, ENQUEUED_SECONDS) or force:
                enqueue(render_edition_file, edition.pk, fmt)

    if on_commit:
        transaction.on_commit(send, robust=True)
    else:
        send()


def edition_file_ready(edition: Edition, fmt: str) -> EditionFile | None:
    return (
        EditionFile.objects.filter(edition=edition, fmt=fmt, renderer_version=RENDERER_VERSION)
        .only("name", "size", "content_type", "rendered_at")
        .first()
    )


def edition_formats_ready(edition: Edition) -> set[str]:
    return set(
        EditionFile.objects.filter(edition=edition, renderer_version=RENDERER_VERSION).values_list("fmt", flat=True)
    )


def edition_file_links(edition: Edition) -> dict[str, str]:
    """Format → the URL a reader downloads it from (serving.py), for the formats whose file is stored whole.

    A row whose local file is gone (storage wiped, a backup restored without its media) gives no link: the
    per-format URL then has it rendered again. (On other storages a row is trusted: asking costs a request.)"""
    from .serving import edition_file_url

    rows = EditionFile.objects.filter(edition=edition, renderer_version=RENDERER_VERSION).values_list("fmt", "name")
    local = isinstance(default_storage, FileSystemStorage)
    return {
        fmt: edition_file_url(name) for fmt, name in rows if not local or Path(default_storage.path(name)).is_file()
    }


def editions_missing_files():
    """(edition, format) pairs with no file at the current renderer version: the worker's start-up sweep."""
    done = set(EditionFile.objects.filter(renderer_version=RENDERER_VERSION).values_list("edition_id", "fmt"))
    for edition in Edition.objects.only("pk", "content_hash").order_by("pk"):
        missing = [fmt for fmt in FORMATS if (edition.pk, fmt) not in done]
        if missing:
            yield edition, missing


def not_modified_response(request, etag: str) -> HttpResponseNotModified | None:
    """A 304 when the browser already holds this immutable file (its If-None-Match is the ETag), else None."""
    if request.headers.get("If-None-Match") != etag:
        return None
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE
    return response


def edition_file_response(
    record: HashedStorageFile, *, filename: str, inline: bool, etag: str, last_modified
) -> HttpResponse | None:
    """The stored file, streamed (or handed to nginx with X-Accel-Redirect), cacheable for ever; None when the
    file is missing from storage."""
    if settings.R2P_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=record.content_type)
        response["X-Accel-Redirect"] = settings.R2P_X_ACCEL_REDIRECT.rstrip("/") + "/" + record.name
    else:
        try:
            handle = default_storage.open(record.name, "rb")
        except FileNotFoundError:
            return None  # the row outlived its file: the caller has it rendered again
        if record.size > STREAM_OVER_BYTES:
            response = FileResponse(handle, content_type=record.content_type)
            response["Content-Length"] = str(record.size)
        else:  # one read: cheaper than a streamed response for a small file, and no file handle kept open
            with handle:
                response = HttpResponse(handle.read(), content_type=record.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = IMMUTABLE
    return response
