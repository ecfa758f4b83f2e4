"""An uploaded annex, read by a background task: a request stores the file and enqueues; it never parses.

Reading a PDF takes several seconds (pdfminer), so every upload — PDF, DOCX or text, one code path — is stored
whole in the default storage (shared by the web servers and the workers) and read by `read_archive_upload`.
The upload page polls the row's status until the parsed annex is ready for review, or shows why it is not."""

import logging
from dataclasses import asdict
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from assessments.background.retry import enqueue, enqueue_on_commit
from assessments.models import ArchiveUpload, ArchiveUploadStatus, Country, Cycle, EditionOriginal
from assessments.workflow.permissions import can_import_archive

from .convert import UnsupportedFile
from .originals import StoredOriginal, original_read, original_store

logger = logging.getLogger(__name__)

# Still "being read" after this long, the status page asks the worker again (once per marker's life): the task
# may have been lost with a worker or a queue; it is idempotent.
READING_NUDGE_AFTER = timedelta(minutes=2)
NUDGE_MARKER_SECONDS = 5 * 60
# After this long still "being read", the page says something went wrong (a stopped worker).
READING_TOO_LONG = timedelta(minutes=10)
# Uploads are forgotten after two days (their staged review expires after one); a published one's file stays.
KEEP_UNPUBLISHED = timedelta(days=2)


@transaction.atomic
def archive_upload_create(*, user, country: Country, cycle: Cycle, content: bytes, file_name: str) -> ArchiveUpload:
    """Store the uploaded file and enqueue its reading (after commit)."""
    from .tasks import read_archive_upload

    if not can_import_archive(user):
        raise PermissionDenied("Only editors and administrators import archived annexes.")
    stored = original_store(content, file_name=file_name)
    upload = ArchiveUpload(uploaded_by=user, country=country, cycle=cycle, **asdict(stored))
    upload.full_clean()
    upload.save()
    archive_uploads_prune()  # after the save: a file this upload stores again is kept
    enqueue_on_commit(read_archive_upload, upload.pk)
    return upload


def _readable_error(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "the text file is not UTF-8; save it as UTF-8 text and upload it again"
    if isinstance(error, (UnsupportedFile, ValueError)) and str(error):
        return str(error)
    return f"the file looks damaged or is not an annex ({type(error).__name__})"


def archive_upload_read(upload_id: int) -> str:
    """Read a stored upload into its parsed annex; idempotent (a finished upload is left as it is).

    A file that cannot be parsed marks the upload failed with a message for the editor (reading it again would
    give the same answer); only reaching the storage may fail transiently (the task retries then)."""
    from .services import annex_parse

    upload = ArchiveUpload.objects.select_related("country", "cycle__previous").get(pk=upload_id)
    if upload.status != ArchiveUploadStatus.READING:
        return upload.status
    content = original_read(upload.name)
    values = {"finished_at": timezone.now()}
    try:
        parsed = annex_parse(cycle=upload.cycle, country=upload.country, content=content, file_name=upload.file_name)
    except Exception as error:  # parsing is deterministic: any failure to parse is the file's
        logger.info("archive upload %s could not be read: %r", upload_id, error)
        values.update(status=ArchiveUploadStatus.FAILED, error=_readable_error(error)[:500])
    else:
        values.update(status=ArchiveUploadStatus.READY, parsed=parsed.to_dict())
    ArchiveUpload.objects.filter(pk=upload_id, status=ArchiveUploadStatus.READING).update(**values)
    return values["status"]


def archive_upload_for(user, upload_id: int) -> ArchiveUpload:
    """The user's own upload (ArchiveUpload.DoesNotExist for anyone else's)."""
    return ArchiveUpload.objects.select_related("country", "cycle").get(pk=upload_id, uploaded_by=user)


def reading_too_long(upload: ArchiveUpload) -> bool:
    return upload.status == ArchiveUploadStatus.READING and timezone.now() - upload.created_at > READING_TOO_LONG


def stored_original(upload: ArchiveUpload) -> StoredOriginal:
    return StoredOriginal(upload.file_name, upload.name, upload.sha256, upload.size, upload.content_type)


def archive_upload_nudge(upload: ArchiveUpload) -> bool:
    """Enqueue the reading again when an upload has been waiting too long (the first task may be lost)."""
    from .tasks import read_archive_upload

    if upload.status != ArchiveUploadStatus.READING or timezone.now() - upload.created_at < READING_NUDGE_AFTER:
        return False
    if not cache.add(f"r2p:archive-read-nudged:{upload.pk}", 1, NUDGE_MARKER_SECONDS):
        return False
    enqueue(read_archive_upload, upload.pk)
    return True


def archive_uploads_prune(keep: timedelta = KEEP_UNPUBLISHED) -> int:
    """Forget uploads older than `keep`; their stored file goes too unless an edition's original is that file."""
    old = list(ArchiveUpload.objects.filter(created_at__lt=timezone.now() - keep).values_list("pk", "name"))
    if not old:
        return 0
    names = {name for _pk, name in old}
    kept = set(EditionOriginal.objects.filter(name__in=names).values_list("name", flat=True))
    kept |= set(
        ArchiveUpload.objects.filter(name__in=names)
        .exclude(pk__in=[pk for pk, _name in old])
        .values_list("name", flat=True)
    )
    ArchiveUpload.objects.filter(pk__in=[pk for pk, _name in old]).delete()
    for name in names - kept:
        transaction.on_commit(lambda name=name: default_storage.delete(name), robust=True)
    return len(old)
