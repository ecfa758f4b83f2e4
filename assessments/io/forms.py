"""Forms of the data pages and of the admin's import step (size and XLSX checks before any parsing)."""

from django import forms
from import_export.forms import ImportForm as AdminImportForm

from .formats import FORMATS, FileError, check_xlsx_archive, format_for_name, max_upload_bytes


def check_upload(upload) -> None:
    """Refuse an upload that is too large, has an unknown extension, or is an XLSX that would expand too far."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise forms.ValidationError(
            f"The file is {upload.size / (1024 * 1024):.1f} MB; at most {limit / (1024 * 1024):.0f} MB is accepted."
        )
    try:
        file_format = format_for_name(upload.name)
        if file_format.get_extension() == "xlsx":
            upload.seek(0)
            check_xlsx_archive(upload.read())
            upload.seek(0)
    except FileError as error:
        raise forms.ValidationError(str(error)) from None


class ImportForm(forms.Form):
    resource = forms.ChoiceField(label="What the file holds")
    file = forms.FileField(
        label="File", help_text="CSV (UTF-8), XLSX or JSON; the first row names the columns.", allow_empty_file=False
    )

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(resource.name, resource.label) for resource in resources]
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.json"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class ExportForm(forms.Form):
    resource = forms.ChoiceField(label="What to export")
    format = forms.ChoiceField(choices=[(name, name.upper()) for name in FORMATS], initial="xlsx")
    cycle = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Cycle (optional)")
    country = forms.RegexField(
        regex=r"^[A-Za-z]{3}$",
        required=False,
        label="Country (optional)",
        help_text="ISO alpha-3 code such as KOR; narrows assessments and assignments.",
        error_messages={"invalid": "Enter a three-letter ISO alpha-3 code such as KOR."},
    )

    def __init__(self, *args, resources, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(resource.name, resource.label) for resource in resources]
        self.fields["cycle"].choices = [("", "All cycles"), *[(year, str(year)) for year in years]]


class AdminSafeImportForm(AdminImportForm):
    """import-export's admin import form with the same upload checks as the r2p import page."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        check_upload(upload)
        return upload
