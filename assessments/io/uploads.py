"""Uploaded files kept between the dry-run preview and the confirmed import.

The file is written once, under a random token, to a private directory; the token is remembered in the
uploader's session with the file's SHA-256, so the confirm step imports exactly the bytes that were previewed,
only for the session that uploaded them, without a second upload. Files older than a day are removed.
"""

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings

from .formats import FileError

SESSION_KEY = "r2p_io_uploads"
MAX_AGE_SECONDS = 24 * 60 * 60


def upload_dir() -> Path:
    path = Path(getattr(settings, "R2P_IMPORT_TMP_DIR", None) or Path(settings.VAR_DIR) / "import-uploads")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(token: str) -> Path:
    if not token.isalnum():
        raise FileError("This upload is unknown; upload the file again.")
    return upload_dir() / f"{token}.upload"


def upload_store(data: bytes, *, session, resource: str, file_name: str) -> str:
    uploads_prune()
    token = secrets.token_hex(16)
    _path(token).write_bytes(data)
    uploads = dict(session.get(SESSION_KEY, {}))
    uploads[token] = {
        "resource": resource,
        "file_name": file_name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "created": time.time(),
    }
    session[SESSION_KEY] = uploads
    return token


def upload_load(token: str, *, session) -> tuple[bytes, str, str]:
    """The stored bytes, resource name and file name of an upload of this session."""
    meta = session.get(SESSION_KEY, {}).get(token)
    path = _path(token)
    if meta is None or not path.is_file():
        raise FileError("This upload is no longer available (it was imported or has expired); upload the file again.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise FileError("The stored upload has changed since the preview; upload the file again.")
    return data, meta["resource"], meta["file_name"]


def upload_discard(token: str, *, session) -> None:
    uploads = dict(session.get(SESSION_KEY, {}))
    uploads.pop(token, None)
    session[SESSION_KEY] = uploads
    try:
        _path(token).unlink(missing_ok=True)
    except FileError:
        pass


def uploads_prune(max_age: int = MAX_AGE_SECONDS) -> None:
    cutoff = time.time() - max_age
    for path in upload_dir().glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            pass
