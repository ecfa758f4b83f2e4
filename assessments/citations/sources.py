"""The source library: CSL-JSON ↔ Source (lossless), and creating, editing and merging sources."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.citations.syntax import extract_citations
from assessments.models import AssessmentItem, Citation, Source, SourceType
from assessments.search.services import search_index_update

# CSL-JSON keys that map onto Source columns; anything else is kept in csl_extra.
_MAPPED = {
    "id",
    "type",
    "author",
    "issued",
    "title",
    "container-title",
    "publisher",
    "URL",
    "accessed",
    "number",
    "note",
    "custom",
}
_STRING_FIELDS = (
    ("title", "title"),
    ("container_title", "container-title"),
    ("publisher", "publisher"),
    ("url", "URL"),
    ("un_symbol", "number"),
    ("note", "note"),
)
# CSL types r2p has no column value for, stored as the nearest r2p type (the CSL type is kept in csl_extra).
_TYPE_FALLBACK = {
    "bill": SourceType.LEGISLATION,
    "regulation": SourceType.LEGISLATION,
    "legal_case": SourceType.LEGISLATION,
    "article": SourceType.JOURNAL_ARTICLE,
    "paper-conference": SourceType.CHAPTER,
    "entry-encyclopedia": SourceType.CHAPTER,
    "entry-dictionary": SourceType.CHAPTER,
    "interview": SourceType.SPEECH,
    "broadcast": SourceType.WEBPAGE,
    "post": SourceType.WEBPAGE,
    "motion_picture": SourceType.WEBPAGE,
}
# Fields a merge copies from the removed source when the kept one has them empty.
MERGE_FILL_FIELDS = [
    "authors",
    "author_abbreviation",
    "issued_year",
    "issued_month",
    "issued_day",
    "container_title",
    "publisher",
    "url",
    "accessed",
    "un_symbol",
    "note",
]
SOURCE_FIELDS = ["key", "type", "title", "csl_extra", *MERGE_FILL_FIELDS]


def _simple_date_parts(value: Any) -> list[int] | None:
    """[year, month, day] prefix of a CSL date with one plain date; None when the date is anything else."""
    if not isinstance(value, dict) or set(value) != {"date-parts"}:
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or len(parts) != 1 or not isinstance(parts[0], list) or not 1 <= len(parts[0]) <= 3:
        return None
    if not all(isinstance(part, int) or (isinstance(part, str) and part.strip().isdigit()) for part in parts[0]):
        return None  # "2022a", seasons and the like stay as they are, in csl_extra
    numbers = [int(part) for part in parts[0]]
    return numbers


def _year_of(value: Any) -> int | None:
    """The year of any CSL date form (date-parts, raw, literal), for display."""
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            try:
                return int(parts[0][0])
            except (TypeError, ValueError):
                pass
        match = re.search(r"\b(1[5-9]\d\d|20\d\d|2100)\b", str(value.get("raw") or value.get("literal") or ""))
        if match:
            return int(match.group(1))
    return None


def source_fields_from_csl(entry: dict[str, Any]) -> dict[str, Any]:
    """The Source field values a CSL-JSON entry describes; `source_to_csl` gives the entry back unchanged."""
    extra: dict[str, Any] = {key: value for key, value in entry.items() if key not in _MAPPED}
    custom = dict(entry.get("custom") or {}) if isinstance(entry.get("custom"), dict) else {}
    abbreviation = custom.pop("author-abbreviation", "")
    if custom:
        extra["custom"] = custom
    csl_type = entry.get("type") or SourceType.REPORT
    if csl_type not in SourceType.values:
        extra["type"] = csl_type
        csl_type = _TYPE_FALLBACK.get(csl_type, SourceType.REPORT)
    issued = _simple_date_parts(entry.get("issued"))
    if issued is None and entry.get("issued") is not None:
        extra["issued"] = entry["issued"]
        issued = [year] if (year := _year_of(entry["issued"])) else []
    issued = issued or []
    accessed = None
    accessed_parts = _simple_date_parts(entry.get("accessed"))
    if accessed_parts and len(accessed_parts) == 3:
        try:
            accessed = datetime.date(*accessed_parts)
        except ValueError:
            accessed = None
    if accessed is None and entry.get("accessed") is not None:
        extra["accessed"] = entry["accessed"]
    fields: dict[str, Any] = {
        "key": str(entry.get("id", "")),
        "type": csl_type,
        "authors": entry.get("author") or [],
        "author_abbreviation": str(abbreviation),
        "issued_year": issued[0] if len(issued) > 0 else None,
        "issued_month": issued[1] if len(issued) > 1 else None,
        "issued_day": issued[2] if len(issued) > 2 else None,
        "accessed": accessed,
        "csl_extra": extra,
    }
    for field, csl_key in _STRING_FIELDS:
        value = entry.get(csl_key, "")
        if isinstance(value, str):
            fields[field] = value
        else:
            fields[field] = ""
            extra[csl_key] = value  # a number or list where CSL usually has text: keep it as it was
    return fields


def source_to_csl(source: Source) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": source.key, "type": source.type, "title": source.title}
    if source.authors:
        entry["author"] = source.authors
    parts = [part for part in (source.issued_year, source.issued_month, source.issued_day) if part]
    if parts:
        entry["issued"] = {"date-parts": [parts]}
    for field, csl_key in _STRING_FIELDS:
        if getattr(source, field) and csl_key != "title":
            entry[csl_key] = getattr(source, field)
    if source.accessed:
        entry["accessed"] = {"date-parts": [[source.accessed.year, source.accessed.month, source.accessed.day]]}
    extra = dict(source.csl_extra or {})
    custom = dict(extra.pop("custom", {}))
    if source.author_abbreviation:
        custom["author-abbreviation"] = source.author_abbreviation
    if custom:
        entry["custom"] = custom
    entry.update(extra)
    return entry


def source_field_values(source: Source) -> dict[str, Any]:
    return {field: getattr(source, field) for field in SOURCE_FIELDS}


# --- rights ---------------------------------------------------------------------------------------


from assessments.workflow.permissions import (  # noqa: E402  (the rights live in the one rights module)
    can_add_sources,
    can_edit_sources,
    can_merge_sources,
)


def source_create(*, user, reason: str = "created", **fields: Any) -> Source:
    """Create a source and resolve citations that were waiting for its key."""
    from assessments.workflow.items import citations_resolve

    if not can_add_sources(user):
        raise PermissionDenied("You may not add sources.")
    source = Source(**fields)
    source.refresh_author_text()
    source.full_clean()
    source._history_user = user
    source._change_reason = reason or "created"
    source.save()
    citations_resolve(source=source, user=user, reason=f"source {source.key} created")
    search_index_update(sources=[source])
    return source


@transaction.atomic
def source_update(*, source: Source, user, reason: str, changes: dict[str, Any]) -> Source:
    """Change a source's fields; its key only while nothing cites it (merge duplicates instead)."""
    if not can_edit_sources(user):
        raise PermissionDenied("You may not edit sources.")
    current = Source.objects.select_for_update().get(pk=source.pk)
    new_key = changes.get("key", current.key)
    if new_key != current.key and Citation.objects.filter(Q(key=current.key) | Q(source=current)).exists():
        raise ValidationError({"key": "This key is cited in notes; it cannot change (merge sources instead)."})
    for field, value in changes.items():
        setattr(current, field, value)
    current.refresh_author_text()
    current.full_clean()
    current._history_user = user
    current._change_reason = reason or "edited"
    current.save()
    search_index_update(sources=[current])
    return current


def rewrite_citation_key(text: str, old: str, new: str) -> str:
    """Replace `@old` by `@new` wherever it is a citation (inside `[...]` groups), and nowhere else."""
    pattern = re.compile(r"(?P<pre>[\[;]\s*)@" + re.escape(old) + r"(?=[.:,;]*\s*[,;\]])")
    return pattern.sub(lambda match: f"{match.group('pre')}@{new}", text)


@dataclass
class MergeResult:
    kept: Source
    removed_key: str
    items_rewritten: int
    fields_filled: list[str]


@transaction.atomic
def source_merge(*, keep: Source, remove: Source, user, reason: str = "") -> MergeResult:
    """Merge a duplicate into `keep`: notes citing `remove` are rewritten to cite `keep`, then it is deleted."""
    from assessments.workflow.content import ContentChange, WriteKind, items_content_write

    if not can_merge_sources(user):
        raise PermissionDenied("Only editors and admins may merge sources.")
    if keep.pk == remove.pk:
        raise ValidationError("A source cannot be merged into itself.")
    keep = Source.objects.select_for_update().get(pk=keep.pk)
    remove = Source.objects.select_for_update().get(pk=remove.pk)
    why = reason or f"merge source {remove.key} into {keep.key}"
    item_ids = set(
        Citation.objects.filter(Q(key=remove.key) | Q(source=remove)).values_list("item_id", flat=True).distinct()
    )
    changes = []
    for item in AssessmentItem.objects.filter(pk__in=item_ids).order_by("pk"):
        notes = rewrite_citation_key(item.notes, remove.key, keep.key)
        if any(ref.key == remove.key for ref in extract_citations(notes)):
            raise ValidationError(f"Could not rewrite every citation of @{remove.key} in {item}.")
        changes.append(ContentChange(item=item, values={"notes": notes}))
    # A key rename keeps each item's meaning and state; the editor who merged is recorded as its writer.
    items = items_content_write(changes=changes, user=user, reason=why, kind=WriteKind.MAINTENANCE).changed
    filled = []
    for field in MERGE_FILL_FIELDS:
        if not getattr(keep, field) and getattr(remove, field):
            setattr(keep, field, getattr(remove, field))
            filled.append(field)
    if filled:
        keep.refresh_author_text()
        keep.full_clean()
        keep._history_user = user
        keep._change_reason = why
        keep.save()
    removed_key = remove.key
    remove._history_user = user
    remove._change_reason = why
    remove.delete()
    search_index_update(sources=[keep])
    return MergeResult(kept=keep, removed_key=removed_key, items_rewritten=len(items), fields_filled=filled)


def links_record(*, results: dict[int, tuple[int | None, str]], checked_at: datetime.datetime | None = None) -> int:
    """Store link-check results (source pk → (HTTP status or None, error)); these fields keep no history."""
    checked_at = checked_at or timezone.now()
    sources = list(Source.objects.filter(pk__in=results))
    for source in sources:
        source.link_status, error = results[source.pk]
        source.link_error = error[:300]
        source.link_checked_at = checked_at
    Source.objects.bulk_update(sources, ["link_status", "link_error", "link_checked_at"])
    return len(sources)
