"""Source records from and to CSL-JSON (Zotero's export format)."""

from typing import Any

from assessments.models import Source

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


def _date_parts(value: dict[str, Any] | None) -> list[int]:
    if not value:
        return []
    parts = value.get("date-parts") or [[]]
    return [int(part) for part in parts[0] if str(part).strip()]


def source_fields_from_csl(entry: dict[str, Any]) -> dict[str, Any]:
    """The Source field values a CSL-JSON entry describes."""
    issued = _date_parts(entry.get("issued"))
    accessed = _date_parts(entry.get("accessed"))
    custom = dict(entry.get("custom") or {})
    fields = {
        "key": str(entry["id"]),
        "type": entry.get("type") or "report",
        "authors": entry.get("author") or [],
        "author_abbreviation": custom.pop("author-abbreviation", ""),
        "issued_year": issued[0] if len(issued) > 0 else None,
        "issued_month": issued[1] if len(issued) > 1 else None,
        "issued_day": issued[2] if len(issued) > 2 else None,
        "title": entry.get("title", ""),
        "container_title": entry.get("container-title", ""),
        "publisher": entry.get("publisher", ""),
        "url": entry.get("URL", ""),
        "accessed": None,
        "un_symbol": entry.get("number", ""),
        "note": entry.get("note", ""),
        "csl_extra": {key: value for key, value in entry.items() if key not in _MAPPED},
    }
    if custom:
        fields["csl_extra"]["custom"] = custom
    if len(accessed) == 3:
        import datetime

        fields["accessed"] = datetime.date(*accessed)
    return fields


def source_to_csl(source: Source) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": source.key, "type": source.type, "title": source.title}
    if source.authors:
        entry["author"] = source.authors
    parts = [part for part in (source.issued_year, source.issued_month, source.issued_day) if part]
    if parts:
        entry["issued"] = {"date-parts": [parts]}
    for field, csl_key in (
        ("container_title", "container-title"),
        ("publisher", "publisher"),
        ("url", "URL"),
        ("un_symbol", "number"),
        ("note", "note"),
    ):
        if getattr(source, field):
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
