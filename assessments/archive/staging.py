"""The parsed annex kept server-side between upload, review and confirm (reusing the data import's staging:
a private file under a random token, bound to the uploader's session and checked by its SHA-256)."""

import json

from assessments.io.formats import FileError
from assessments.io.uploads import upload_discard, upload_load, upload_store

from .document import ParsedAnnex

RESOURCE = "archive-annex"


def staged_store(
    parsed: ParsedAnnex, *, session, country: str, cycle: int, file_name: str, upload: int | None = None
) -> str:
    """`upload`: the ArchiveUpload holding the original file (attached to the edition when published)."""
    payload = {"country": country, "cycle": cycle, "file_name": file_name, "upload": upload, "parsed": parsed.to_dict()}
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return upload_store(data, session=session, resource=RESOURCE, file_name=file_name)


def staged_load(token: str, *, session) -> dict:
    """{"country", "cycle", "file_name", "upload", "parsed": ParsedAnnex}; FileError when unknown to this session."""
    data, resource, _name = upload_load(token, session=session)
    if resource != RESOURCE:
        raise FileError("This upload is not an archived annex; upload the file again.")
    payload = json.loads(data.decode("utf-8"))
    payload["parsed"] = ParsedAnnex.from_dict(payload["parsed"])
    return payload


def staged_discard(token: str, *, session) -> None:
    upload_discard(token, session=session)
