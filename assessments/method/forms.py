"""Forms of the method pages: codebook entries, the coverage period, codebook upload, rationale waivers, second
assessments (request, blind rating, settling)."""

from django import forms

from assessments.accounts.services import display_name
from assessments.framework.models import Rating

from .models import JUSTIFICATION_MAX_CHARS, LEVEL_FIELDS, IndicatorGuidance


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


# --- second assessments ------------------------------------------------------------------------------------


class SecondRequestForm(forms.Form):
    """Editors: indicators × countries of a cycle, and the researcher who rates them blind."""

    researcher = forms.TypedChoiceField(label="Second researcher", coerce=int)
    indicators = forms.MultipleChoiceField(label="Indicators", widget=forms.CheckboxSelectMultiple)
    countries = forms.MultipleChoiceField(label="Countries", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, researchers=(), indicators=(), countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["researcher"].choices = [("", "Choose a researcher")] + [
            (user.pk, display_name(user)) for user in researchers
        ]
        self.fields["indicators"].choices = [(i.code, f"{i.code} {i.title}") for i in indicators]
        self.fields["countries"].choices = [(c.code, c.name) for c in countries]


class SecondRatingForm(forms.Form):
    """The second researcher's blind rating (nothing of the first rating in it)."""

    rating = forms.ChoiceField(choices=Rating.choices, widget=forms.RadioSelect)
    justification = forms.CharField(
        label="Why (a few sentences for the reviewer)",
        required=False,
        max_length=JUSTIFICATION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SettleForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Why (shown to the researchers)",
        required=False,
        max_length=JUSTIFICATION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
