"""Forms of the archive import page: the upload, and the in-place corrections of the review screen."""

from django import forms

from assessments.models import Country, Cycle, Rating, Trend

from .document import ParsedAnnex
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
        return changed


class ArchiveConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)
    publish = forms.BooleanField(required=False, label="Publish as edition v1 with its original date")
    published_on = forms.DateField(required=False, label="Originally published on")

    def clean(self):
        data = super().clean()
        if data.get("publish") and not data.get("published_on"):
            self.add_error("published_on", "Give the date the annex was originally published.")
        return data
