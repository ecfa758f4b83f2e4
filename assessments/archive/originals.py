"""The original publication of an imported annex, stored whole in the default storage (content-hashed name,
written atomically, as the rendered edition files are) and attached to the edition it was published as."""

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from django.core.files.storage import default_storage

from assessments.background.files import file_store_whole
from assessments.models import Edition, EditionOriginal

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class StoredOriginal:
    file_name: str
    name: str
    sha256: str
    size: int
    content_type: str


def safe_stem(file_name: str) -> str:
    """A file name stem safe for a storage name and a Content-Disposition header (ASCII, no quotes)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(file_name).stem).strip(".-")
    return stem[:80] or "annex"


def original_store(content: bytes, *, file_name: str) -> StoredOriginal:
    """Store an uploaded annex whole under `archive/<stem>.<sha256[:20]>.<ext>`; storing it again is a no-op."""
    suffix = Path(file_name).suffix.lower()
    digest = hashlib.sha256(content).hexdigest()
    name = file_store_whole(f"archive/{safe_stem(file_name)}.{digest[:20]}{suffix}", content)
    content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
    return StoredOriginal(Path(file_name).name[:255], name, digest, len(content), content_type)


def original_read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def edition_original_attach(*, edition: Edition, stored: StoredOriginal) -> EditionOriginal:
    """Attach the stored original to the edition it was published as (inside the publishing transaction)."""
    original = EditionOriginal(edition=edition, **asdict(stored))
    original.full_clean()
    original.save()
    return original


def download_name(original: EditionOriginal) -> str:
    """`r2p-annex-2022-KOR-v1-original.pdf`: what the browser saves it as."""
    assessment = original.edition.country_assessment
    return (
        f"r2p-annex-{assessment.cycle.year}-{assessment.country.code}-v{original.edition.number}-original"
        f".{original.extension}"
    )
