"""Forms of the method pages: codebook entries, the coverage period, codebook upload, rationale waivers."""

from django import forms

from .models import LEVEL_FIELDS, IndicatorGuidance


class GuidanceForm(forms.ModelForm):
    class Meta:
        model = IndicatorGuidance
        fields = ["question", *LEVEL_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ["question", *LEVEL_FIELDS]}


class CoverageForm(forms.Form):
    coverage_start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    coverage_end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CodebookUploadForm(forms.Form):
    file = forms.FileField(label="Codebook CSV")


class WaiverForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.TextInput)
