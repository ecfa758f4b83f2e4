"""Forms of the source library pages."""

from django import forms

from assessments.models import Source

AUTHOR_HELP = "One per line."


def _people_lines(authors: list) -> str:
    lines = []
    for name in authors or []:
        if isinstance(name, dict) and not name.get("literal"):
            lines.append(", ".join(filter(None, [name.get("family"), name.get("given")])))
    return "\n".join(lines)


def _organisation_lines(authors: list) -> str:
    return "\n".join(str(name["literal"]) for name in authors or [] if isinstance(name, dict) and name.get("literal"))


class SourceForm(forms.ModelForm):
    organisations = forms.CharField(
        label="Organisations (authors)",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. Human Rights Watch. " + AUTHOR_HELP,
    )
    people = forms.CharField(
        label="People (authors)",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Family, Given — e.g. Kwok, Andre. " + AUTHOR_HELP,
    )
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    reason = forms.CharField(
        label="Reason for the change", max_length=100, required=False, help_text="Kept in the source's history."
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Source
        fields = [
            "key",
            "type",
            "author_abbreviation",
            "issued_year",
            "issued_month",
            "issued_day",
            "title",
            "container_title",
            "publisher",
            "url",
            "accessed",
            "un_symbol",
            "note",
        ]
        widgets = {
            "accessed": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(),
        }

    field_order = ["key", "type", "organisations", "people", "author_abbreviation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        authors = self.instance.authors if self.instance.pk else []
        self.fields["organisations"].initial = _organisation_lines(authors)
        self.fields["people"].initial = _people_lines(authors)
        if self.instance.pk:
            self.fields["reason"].required = True
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def clean_version(self) -> str:
        version = self.cleaned_data.get("version") or ""
        if self.instance.pk and version and version != self.instance.updated_at.isoformat():
            raise forms.ValidationError(
                "Someone else changed this source since you opened it. Reload the page to see their change."
            )
        return version

    def authors(self) -> list:
        """The CSL names the form describes; the stored ones when the author fields were not touched."""
        organisations = self.cleaned_data.get("organisations", "").strip()
        people = self.cleaned_data.get("people", "").strip()
        stored = self.instance.authors if self.instance.pk else []
        if organisations == _organisation_lines(stored).strip() and people == _people_lines(stored).strip():
            return stored
        names = [{"literal": line.strip()} for line in organisations.splitlines() if line.strip()]
        for line in people.splitlines():
            if not line.strip():
                continue
            family, _, given = line.partition(",")
            names.append({key: value for key, value in (("family", family.strip()), ("given", given.strip())) if value})
        return names

    def changes(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["authors"] = self.authors()
        return values


class MergeForm(forms.Form):
    remove = forms.CharField(label="Key of the duplicate to merge into this source", max_length=100)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSL-JSON (Zotero: Export Collection → CSL JSON) or BibTeX (.bib).")

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        try:
            upload.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file is not UTF-8 text.") from error
        return upload
