"""Forms of the archive import page: the upload, and the in-place corrections of the review screen."""

import re

from django import forms

from assessments.models import Country, Cycle, Rating, Source, SourceType, Trend

from .document import ParsedAnnex
from .footnotes import csl_author
from .services import MAX_UPLOAD_BYTES

ACCEPTED = (".docx", ".pdf", ".txt")


class ArchiveUploadForm(forms.Form):
    file = forms.FileField(help_text="A Word document (.docx), a PDF, or the text extracted from a PDF (.txt).")
    country = forms.ModelChoiceField(Country.objects.order_by("name"), to_field_name="code")
    cycle = forms.ModelChoiceField(Cycle.objects.order_by("-year"), to_field_name="year")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError("Give a .docx, a .pdf or a .txt file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return upload


class ArchiveCorrectionForm(forms.Form):
    """One set of fields per row of the detailed table (`r<i>-code`, `-rating`, `-trend`, `-notes`), plus the
    overview and the conclusion. Never any workflow field: the import decides the items' state."""

    def __init__(self, *args, parsed: ParsedAnnex, indicators: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = parsed
        codes = [("", "— not matched —")] + [(i.code, f"{i.code} {i.title}") for i in indicators]
        ratings = [("", "—")] + list(Rating.choices)
        trends = [("", "—")] + list(Trend.choices)
        self.fields["overview"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 6}), required=False, initial=parsed.overview
        )
        self.fields["conclusion"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), required=False, initial=parsed.conclusion
        )
        for index, row in enumerate(parsed.rows):
            self.fields[f"r{index}-code"] = forms.ChoiceField(choices=codes, required=False, initial=row.code)
            self.fields[f"r{index}-rating"] = forms.ChoiceField(choices=ratings, required=False, initial=row.rating)
            self.fields[f"r{index}-trend"] = forms.ChoiceField(choices=trends, required=False, initial=row.trend)
            self.fields[f"r{index}-notes"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}), required=False, initial=row.notes
            )

        self.proposed = sorted(parsed.new_sources)
        for index, key in enumerate(self.proposed):
            self._add_source_fields(index, parsed.new_sources[key].csl)

    # --- proposed (new) sources: correct their fields, or use a library source instead ----------------------

    def _add_source_fields(self, index: int, csl: dict) -> None:
        prefix = f"s{index}-"
        parts = ((csl.get("issued") or {}).get("date-parts") or [[]])[0]
        issued = "-".join(f"{part:02d}" if n else str(part) for n, part in enumerate(parts) if part)
        types = list(SourceType.choices)
        if csl.get("type") and csl["type"] not in SourceType.values:  # a CSL type r2p maps on saving
            types.append((csl["type"], csl["type"]))
        fields = {
            "use": forms.CharField(
                required=False,
                max_length=100,
                label="Or cite this library source instead (its key)",
                help_text="Leave empty to add the source as corrected here.",
            ),
            "type": forms.ChoiceField(label="Type", choices=types, initial=csl.get("type", SourceType.REPORT)),
            "authors": forms.CharField(
                required=False,
                max_length=500,
                label="Authors or organisation",
                help_text="Separate people with “;”, family name first: Kwok, Andre; Kwon, Nathaneal.",
                initial="; ".join(_name_text(name) for name in csl.get("author") or []),
            ),
            "abbreviation": forms.CharField(
                required=False,
                max_length=30,
                label="Abbreviation",
                initial=(csl.get("custom") or {}).get("author-abbreviation", ""),
            ),
            "title": forms.CharField(label="Title", required=False, max_length=500, initial=csl.get("title", "")),
            "issued": forms.CharField(
                required=False,
                max_length=40,
                label="Year or date",
                help_text="2022, 2022-03 or 2022-03-01; empty for n.d.",
                initial=issued,
            ),
            "container": forms.CharField(
                required=False,
                max_length=500,
                label="Published in (journal, website)",
                initial=csl.get("container-title", ""),
            ),
            "publisher": forms.CharField(
                label="Publisher", required=False, max_length=300, initial=csl.get("publisher", "")
            ),
            "url": forms.URLField(
                required=False, max_length=1000, label="URL", assume_scheme="https", initial=csl.get("URL", "")
            ),
        }
        fields["use"].widget.attrs.update({"class": "source-use-key", "placeholder": "library key"})
        for name, field in fields.items():
            field.widget.attrs["form"] = "corrections"  # the inputs sit below the corrections form, belong to it
            self.fields[prefix + name] = field

    def sources(self):
        """(key, proposed source, its bound fields, the footnotes citing it) for the template."""
        citing: dict[str, list[int]] = {}
        for footnote in sorted(self.parsed.footnotes.values(), key=lambda footnote: footnote.number):
            for key in footnote.keys:
                citing.setdefault(key, []).append(footnote.number)
        for index, key in enumerate(self.proposed):
            prefix = f"s{index}-"
            for name in self.fields:
                if name.startswith(prefix):
                    bound = self[name]
                    described = [f"{bound.auto_id}-help"] if bound.help_text else []
                    if bound.errors:
                        bound.field.widget.attrs["aria-invalid"] = "true"
                        described.insert(0, f"{bound.auto_id}-error")
                    if described:
                        bound.field.widget.attrs["aria-describedby"] = " ".join(described)
            yield {
                "index": index,
                "key": key,
                "source": self.parsed.new_sources[key],
                "footnotes": citing.get(key, []),
                "fields": {name[len(prefix) :]: self[name] for name in self.fields if name.startswith(prefix)},
            }

    def clean(self):
        data = super().clean()
        wanted = {}
        for index, key in enumerate(self.proposed):
            prefix = f"s{index}-"
            use = (data.get(prefix + "use") or "").strip().removeprefix("@")
            if use:
                wanted[prefix + "use"] = use
                continue
            title_was = self.fields[prefix + "title"].initial
            if title_was and prefix + "title" in data and not (data.get(prefix + "title") or "").strip():
                self.add_error(prefix + "title", f"@{key} needs a title (or choose a library source instead).")
            issued = (data.get(prefix + "issued") or "").strip()
            if issued and _date_parts(issued) is None:
                self.add_error(prefix + "issued", f"Give the year (2022) or the date (2022-03-01), not “{issued}”.")
        if wanted:
            known = set(Source.objects.filter(key__in=set(wanted.values())).values_list("key", flat=True))
            for name, use in wanted.items():
                if use not in known:
                    self.add_error(name, f"There is no source @{use} in the library; search for it by title or author.")
                else:
                    data[name] = use
        return data

    def _apply_sources(self) -> list[str]:
        changed = []
        data = self.cleaned_data
        for index, key in enumerate(self.proposed):
            prefix = f"s{index}-"
            proposed = self.parsed.new_sources[key]
            if data.get(prefix + "use"):
                _source_replace(self.parsed, key, data[prefix + "use"])
                changed.append(f"@{key} cited as library source @{data[prefix + 'use']}")
                continue
            csl = dict(proposed.csl)
            edited = False
            for name in ("type", "authors", "abbreviation", "title", "issued", "container", "publisher", "url"):
                value = data[prefix + name].strip()
                if value == (self.fields[prefix + name].initial or ""):
                    continue  # untouched: the entry keeps what the parser read, exactly
                edited = True
                if name == "authors":
                    names = [part.strip() for part in value.split(";") if part.strip()]
                    csl["author"] = [csl_author(part, position) for position, part in enumerate(names)]
                elif name == "abbreviation":
                    csl["custom"] = {**(csl.get("custom") or {}), "author-abbreviation": value}
                elif name == "issued":
                    csl["issued"] = {"date-parts": [_date_parts(value)]}
                else:
                    csl[{"container": "container-title", "url": "URL"}.get(name, name)] = value
            if edited:
                csl = {name: value for name, value in csl.items() if value not in ("", [], {}, {"date-parts": [[]]})}
                csl["id"] = key
                csl.setdefault("title", "")
                if not proposed.complete:  # corrected by hand: no longer "could not be read"
                    csl.pop("note", None)
                    proposed.complete = True
                proposed.csl = csl
                changed.append(f"source @{key}")
        return changed

    def rows(self):
        """(row, its four bound fields, its flags) for the template, in table order."""
        flags: dict[str, list] = {}
        for flag in self.parsed.flags:
            flags.setdefault(flag.where, []).append(flag)
        for index, row in enumerate(self.parsed.rows):
            yield {
                "index": index,
                "row": row,
                "code": self[f"r{index}-code"],
                "rating": self[f"r{index}-rating"],
                "trend": self[f"r{index}-trend"],
                "notes": self[f"r{index}-notes"],
                "flags": flags.get(row.code, []) if row.code else flags.get(row.title[:60], []),
            }

    def apply(self) -> list[str]:
        """Write the corrections into `parsed`; the names of what changed."""
        changed = []
        data = self.cleaned_data
        for name in ("overview", "conclusion"):
            value = data[name].replace("\r\n", "\n").strip()
            if value != getattr(self.parsed, name).strip():
                setattr(self.parsed, name, value)
                changed.append(name)
        for index, row in enumerate(self.parsed.rows):
            for field in ("code", "rating", "trend", "notes"):
                value = data[f"r{index}-{field}"]
                value = value.replace("\r\n", "\n").strip() if field == "notes" else value
                if value != getattr(row, field):
                    setattr(row, field, value)
                    changed.append(f"{row.code or row.title[:30]} {field}")
        return changed + self._apply_sources()


def _name_text(name: dict) -> str:
    if name.get("literal"):
        return name["literal"]
    return ", ".join(part for part in (name.get("family", ""), name.get("given", "")) if part)


def _date_parts(value: str) -> list[int] | None:
    """`2022` → [2022], `2022-03-01` → [2022, 3, 1]; None when it is not such a date; [] for nothing/n.d."""
    if value in ("", "n.d."):
        return []
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if match is None:
        return None
    parts = [int(part) for part in match.groups() if part]
    if len(parts) > 1 and not 1 <= parts[1] <= 12 or len(parts) > 2 and not 1 <= parts[2] <= 31:
        return None
    return parts


def _source_replace(parsed: ParsedAnnex, old: str, new: str) -> None:
    """Cite library source `new` wherever the import proposed `old`, and drop the proposal and its flags."""
    pattern = re.compile(r"(?<![\w@])@" + re.escape(old) + r"(?![\w-])")

    def replace(text: str) -> str:
        return pattern.sub(lambda _match: "@" + new, text)

    for row in parsed.rows:
        row.notes = replace(row.notes)
    parsed.overview = replace(parsed.overview)
    parsed.conclusion = replace(parsed.conclusion)
    for footnote in parsed.footnotes.values():
        footnote.markup = replace(footnote.markup)
        footnote.keys = [new if key == old else key for key in footnote.keys]
    del parsed.new_sources[old]
    boundary = parsed.checked_from if parsed.checked_from >= 0 else len(parsed.flags)
    kept = [flag for flag in parsed.flags[:boundary] if not pattern.search(flag.message)]
    parsed.flags = kept + parsed.flags[boundary:]
    if parsed.checked_from >= 0:
        parsed.checked_from = len(kept)


class ArchiveConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
    publish = forms.BooleanField(required=False, label="Publish as edition v1 with its original date")
    published_on = forms.DateField(required=False, label="Originally published on")

    def clean(self):
        data = super().clean()
        if data.get("publish") and not data.get("published_on"):
            self.add_error("published_on", "Give the date the annex was originally published.")
        return data
