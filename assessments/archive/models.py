"""What the archive import keeps: an uploaded annex while a task reads it, and the original file of an edition."""

from django.conf import settings
from django.db import models

from assessments.background.models import HashedStorageFile
from assessments.framework.models import Country, Cycle
from assessments.publishing.models import Edition


class ArchiveUploadStatus(models.TextChoices):
    READING = "reading", "Being read"
    READY = "ready", "Ready for review"
    FAILED = "failed", "Could not be read"


class ArchiveUpload(HashedStorageFile):
    """An uploaded annex: its bytes stored whole in the default storage under a content-hashed name (shared by
    every web server and worker), read by a background task (`read_archive_upload`) into `parsed`.

    The stored file becomes the published edition's original when the import is confirmed and published."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255, help_text="The name the file was uploaded under.")
    status = models.CharField(max_length=8, choices=ArchiveUploadStatus.choices, default=ArchiveUploadStatus.READING)
    error = models.CharField(max_length=500, blank=True)
    parsed = models.JSONField(null=True, blank=True, help_text="The ParsedAnnex, once read.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | models.Q(parsed__isnull=False),
                name="archiveupload_ready_has_parsed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class EditionOriginal(HashedStorageFile):
    """The original publication an imported edition was read from (PDF, DOCX or text), offered for download.

    Written in the transaction that publishes the edition, naming a file already stored whole; never changed."""

    edition = models.OneToOneField(Edition, on_delete=models.PROTECT, related_name="original")
    file_name = models.CharField(max_length=255, help_text="The original file's name.")
    attached_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file_name

    @property
    def extension(self) -> str:
        return self.name.rpartition(".")[2].lower()

    @property
    def label(self) -> str:
        return {"pdf": "PDF", "docx": "DOCX", "txt": "text"}.get(self.extension, self.extension.upper())
