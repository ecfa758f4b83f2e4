"""Import sources from CSL-JSON (Zotero's export; `id` is the key) or BibTeX, and export the library.

Both formats become CSL-JSON-like dicts, then Source field values (`source_fields_from_csl`). A dry run
reports what would be created, updated or skipped (unchanged) and every entry's errors; applying writes
history with the change reason "import <filename>". Importing the same file twice changes nothing.
"""

import re
from dataclasses import dataclass, field
from typing import Any

import bibtexparser
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import latex_to_unicode, splitname
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.citations.schema import csl_entry_problems
from assessments.citations.sources import (
    SOURCE_FIELDS,
    can_add_sources,
    can_edit_sources,
    source_field_values,
    source_fields_from_csl,
    source_to_csl,
)
from assessments.io.formats import FileError, load_json
from assessments.models import Citation, Source
from assessments.search.services import search_index_update

MAX_ENTRIES = 20_000
CSL_MAX_DEPTH = 10  # a list of entries, an entry, a date, date-parts, a date: 5; custom fields may add a little


class ImportFormatError(ValueError):
    """The file is not CSL-JSON or BibTeX at all."""


@dataclass
class EntryError:
    index: int  # 1-based position of the entry in the file
    key: str
    messages: list[str]


@dataclass
class ImportReport:
    filename: str
    format: str
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # key → changed fields
    skipped: list[str] = field(default_factory=list)  # unchanged
    errors: list[EntryError] = field(default_factory=list)
    citations_resolved: int = 0

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.skipped) + len(self.errors)

    def summary(self) -> str:
        mode = "dry run: would create" if self.dry_run else "created"
        return (
            f"{self.filename} ({self.format}), {mode} {len(self.created)}, "
            f"{'would update' if self.dry_run else 'updated'} {len(self.updated)}, "
            f"unchanged {len(self.skipped)}, errors {len(self.errors)}"
        )


# --- reading files ---------------------------------------------------------------------------------


def detect_format(content: str, filename: str = "") -> str:
    name = filename.lower()
    if name.endswith((".json", ".csljson", ".csl.json")):
        return "csl-json"
    if name.endswith((".bib", ".bibtex")):
        return "bibtex"
    return "csl-json" if content.lstrip()[:1] in ("[", "{") else "bibtex"


def read_csl_json(content: str) -> list[dict[str, Any]]:
    try:
        data = load_json(content, max_depth=CSL_MAX_DEPTH)
    except FileError as error:
        raise ImportFormatError(str(error)) from error
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ImportFormatError("CSL-JSON must be a list of entries.")
    return data


BIBTEX_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "chapter",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "legislation": "legislation",
    "legal": "legislation",
    "jurisdiction": "legislation",
    "unpublished": "report",
    "manual": "report",
    "booklet": "report",
    "thesis": "report",
    "phdthesis": "report",
    "mastersthesis": "report",
    "dataset": "dataset",
    "newsarticle": "article-newspaper",
}
MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
# BibTeX fields with a CSL variable of their own; the rest are kept under custom["bibtex"].
BIBTEX_TO_CSL = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "publisher": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "number": "number",
    "note": "note",
    "volume": "volume",
    "pages": "page",
    "edition": "edition",
    "isbn": "ISBN",
    "issn": "ISSN",
    "doi": "DOI",
    "abstract": "abstract",
    "language": "language",
    "address": "publisher-place",
    "location": "publisher-place",
    "series": "collection-title",
}
HANDLED_BIBTEX = {
    "ID",
    "ENTRYTYPE",
    "author",
    "year",
    "month",
    "day",
    "date",
    "url",
    "urldate",
    "shortauthor",
    "howpublished",
}


def _unicode(text: str) -> str:
    if not text:
        return ""
    text = re.sub(r"[{}]", "", latex_to_unicode(text)).strip()
    return text.replace("---", "—").replace("--", "–")


def _split_and(names: str) -> list[str]:
    """Split `A and {B and C} and D` at top-level " and "."""
    parts, depth, current, index = [], 0, [], 0
    while index < len(names):
        char = names[index]
        depth += char == "{"
        depth -= char == "}"
        if depth == 0 and names[index : index + 5].lower() == " and ":
            parts.append("".join(current))
            current, index = [], index + 5
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def bibtex_names(field_value: str) -> list[dict[str, str]]:
    names = []
    for raw in _split_and(field_value):
        if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
            names.append({"literal": _unicode(raw)})
            continue
        parts = splitname(raw, strict_mode=False)
        name = {"family": _unicode(" ".join(parts["last"])), "given": _unicode(" ".join(parts["first"]))}
        if parts["von"]:
            name["non-dropping-particle"] = _unicode(" ".join(parts["von"]))
        if parts["jr"]:
            name["suffix"] = _unicode(" ".join(parts["jr"]))
        names.append({key: value for key, value in name.items() if value})
    return names


def _date_parts(text: str) -> list[int]:
    return [int(part) for part in re.findall(r"\d+", text or "")[:3]]


def bibtex_entry_to_csl(entry: dict[str, str]) -> dict[str, Any]:
    csl: dict[str, Any] = {"id": entry["ID"], "type": BIBTEX_TYPES.get(entry["ENTRYTYPE"].lower(), "report")}
    if entry["ENTRYTYPE"].lower() == "misc":
        csl["type"] = "webpage" if entry.get("url") or "url" in entry.get("howpublished", "").lower() else "report"
    if entry.get("author"):
        csl["author"] = bibtex_names(entry["author"])
    if entry.get("date"):
        parts = _date_parts(entry["date"])
    else:
        parts = _date_parts(entry.get("year", ""))[:1]
        month = entry.get("month", "").strip().lower()[:3]
        month_number = MONTHS.get(month) or (int(month) if month.isdigit() else None)
        if parts and month_number:
            parts.append(month_number)
            if entry.get("day", "").strip().isdigit():
                parts.append(int(entry["day"]))
    if parts:
        csl["issued"] = {"date-parts": [parts]}
    url = entry.get("url") or ""
    if not url and "\\url{" in entry.get("howpublished", ""):
        url = re.sub(r".*\\url\{([^}]*)\}.*", r"\1", entry["howpublished"])
    if url:
        csl["URL"] = url.strip()
    if entry.get("urldate"):
        csl["accessed"] = {"date-parts": [_date_parts(entry["urldate"])]}
    custom: dict[str, Any] = {}
    if entry.get("shortauthor"):
        custom["author-abbreviation"] = _unicode(entry["shortauthor"])
    leftovers = {}
    for name, value in entry.items():
        if name in HANDLED_BIBTEX:
            if name == "howpublished" and "\\url{" not in value:
                leftovers[name] = value
            continue
        csl_name = BIBTEX_TO_CSL.get(name)
        if csl_name and csl_name not in csl:
            csl[csl_name] = _unicode(value)
        else:
            leftovers[name] = value
    if leftovers:
        custom["bibtex"] = leftovers
    if custom:
        csl["custom"] = custom
    return csl


def read_bibtex(content: str) -> list[dict[str, Any]]:
    parser = BibTexParser(ignore_nonstandard_types=False, common_strings=True)
    try:
        database = bibtexparser.loads(content, parser)
    except Exception as error:  # bibtexparser raises several kinds on broken input
        raise ImportFormatError(f"Not valid BibTeX: {error}") from error
    if not database.entries and content.strip():
        raise ImportFormatError("No BibTeX entries found.")
    entries = []
    for entry in database.entries:
        try:
            entries.append(bibtex_entry_to_csl(entry))
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
            raise ImportFormatError(f"The BibTeX entry {entry.get('ID', '')!r} cannot be read: {error}") from error
    return entries


def read_entries(content: str, filename: str = "") -> tuple[str, list[dict[str, Any]]]:
    kind = detect_format(content, filename)
    entries = read_csl_json(content) if kind == "csl-json" else read_bibtex(content)
    if len(entries) > MAX_ENTRIES:
        raise ImportFormatError(f"At most {MAX_ENTRIES} entries per file.")
    return kind, entries


# --- planning and applying -------------------------------------------------------------------------


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return list(error.messages)


@transaction.atomic
def sources_import(*, content: str, filename: str, user=None, dry_run: bool = True) -> ImportReport:
    """Import every valid entry; invalid ones are reported and left out. With dry_run nothing is written."""
    if not dry_run and user is not None and not (can_add_sources(user) and can_edit_sources(user)):
        raise PermissionDenied("You may not import sources.")
    kind, entries = read_entries(content, filename)
    report = ImportReport(filename=filename, format=kind, dry_run=dry_run)
    keys = [str(entry.get("id", "")) for entry in entries if isinstance(entry, dict)]
    existing = {source.key: source for source in Source.objects.filter(key__in=keys)}
    to_create: list[Source] = []
    to_update: list[Source] = []
    changed_fields: set[str] = set()
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            report.errors.append(EntryError(index, "", ["Entry is not an object."]))
            continue
        key = str(entry.get("id", "")).strip()
        if not key:
            report.errors.append(EntryError(index, "", ["Entry has no id (citation key)."]))
            continue
        if key in seen:
            report.errors.append(EntryError(index, key, ["Duplicate id in this file; the first entry is used."]))
            continue
        seen.add(key)
        problems = csl_entry_problems(entry)
        if problems:
            report.errors.append(EntryError(index, key, problems))
            continue
        try:
            fields = source_fields_from_csl(entry)
        except (TypeError, ValueError, AttributeError) as error:
            report.errors.append(EntryError(index, key, [f"Cannot read entry: {error}"]))
            continue
        current = existing.get(key)
        candidate = (
            Source(**fields) if current is None else Source(pk=current.pk, created_at=current.created_at, **fields)
        )
        candidate.refresh_author_text()
        try:
            candidate.full_clean(validate_unique=current is None, validate_constraints=True)
        except ValidationError as error:
            report.errors.append(EntryError(index, key, _messages(error)))
            continue
        if current is None:
            to_create.append(candidate)
            report.created.append(key)
            continue
        before, after = source_field_values(current), source_field_values(candidate)
        changes = [name for name in SOURCE_FIELDS if before[name] != after[name]]
        if not changes:
            report.skipped.append(key)
            continue
        for name in changes:
            setattr(current, name, after[name])
        current.refresh_author_text()
        current.updated_at = timezone.now()
        to_update.append(current)
        changed_fields.update(changes)
        report.updated[key] = changes
    if dry_run:
        return report
    reason = f"import {filename}"
    if to_create:
        bulk_create_with_history(to_create, Source, default_user=user, default_change_reason=reason)
    if to_update:
        bulk_update_with_history(
            to_update,
            Source,
            sorted(changed_fields | {"author_text", "updated_at"}),
            default_user=user,
            default_change_reason=reason,
        )
    if to_create:
        report.citations_resolved = _resolve_citations([source.key for source in to_create], user, reason)
    search_index_update(sources=Source.objects.filter(key__in=[source.key for source in to_create + to_update]))
    return report


def _resolve_citations(keys: list[str], user, reason: str) -> int:
    ids = dict(Source.objects.filter(key__in=keys).values_list("key", "pk"))
    waiting = list(Citation.objects.filter(key__in=keys, source__isnull=True))
    for citation in waiting:
        citation.source_id = ids[citation.key]
    if waiting:
        bulk_update_with_history(waiting, Citation, ["source"], default_user=user, default_change_reason=reason)
    return len(waiting)


def sources_export(queryset=None) -> list[dict[str, Any]]:
    """The library (or part of it) as CSL-JSON entries, ready for `json.dumps`."""
    queryset = Source.objects.order_by("key") if queryset is None else queryset
    return [source_to_csl(source) for source in queryset]
