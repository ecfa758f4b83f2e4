"""Forms of opening a new cycle: the cycle itself, framework edits, its countries and bulk assignments."""

from django import forms
from django.core.exceptions import ValidationError

from assessments.limits import INTRODUCTION_MAX_CHARS
from assessments.models import Country, Cycle, Indicator, ThematicArea

CODE_PATTERN = r"[A-Za-z]+-[0-9]+"
REASON_FIELD = {"label": "Why (for the history)", "max_length": 500, "required": False}


class CycleOpenForm(forms.Form):
    previous = forms.ModelChoiceField(
        label="Open from", queryset=Cycle.objects.none(), empty_label=None, help_text="The cycle to copy."
    )
    year = forms.IntegerField(label="Year of the new cycle", min_value=2000, max_value=2100)
    introduction = forms.CharField(
        label="Standard introduction",
        max_length=INTRODUCTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The same for every country of the cycle. {country_in_text}, {methodology_url} and "
        "{regional_report_url} are filled in per annex.",
    )
    coverage_start = forms.DateField(label="Coverage from", widget=forms.DateInput(attrs={"type": "date"}))
    coverage_end = forms.DateField(label="Coverage to", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = cycles
        self.fields["previous"].label_from_instance = lambda cycle: str(cycle.year)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("coverage_start"), cleaned.get("coverage_end")
        if start and end and start > end:
            raise ValidationError("The coverage period must start before it ends.")
        return cleaned


class IndicatorAddForm(forms.Form):
    area = forms.ModelChoiceField(label="Thematic area", queryset=ThematicArea.objects.none(), empty_label=None)
    code = forms.RegexField(
        regex=rf"^{CODE_PATTERN}$",
        max_length=12,
        help_text="Letters, a dash and a number, e.g. UN-8.",
        error_messages={"invalid": "Write the code as letters, a dash and a number, e.g. UN-8."},
    )
    title = forms.CharField(max_length=300)
    continues = forms.ChoiceField(label="Continues", required=False)
    reason = forms.CharField(**REASON_FIELD)

    def __init__(self, *args, cycle: Cycle, previous_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        areas = ThematicArea.objects.filter(cycle=cycle).order_by("position")
        self.fields["area"].queryset = areas
        self.fields["area"].choices = [(area.pk, area.name) for area in areas]  # read once, named without the cycle
        self.fields["continues"].choices = [("", "Nothing: new in this cycle")] + previous_choices


class IndicatorRenameForm(forms.Form):
    code = forms.RegexField(
        regex=rf"^{CODE_PATTERN}$",
        max_length=12,
        error_messages={"invalid": "Write the code as letters, a dash and a number, e.g. UN-8."},
    )
    title = forms.CharField(max_length=300)
    reason = forms.CharField(**REASON_FIELD)


class IndicatorMapForm(forms.Form):
    continues = forms.ChoiceField(label="Continues", required=False)
    reason = forms.CharField(**REASON_FIELD)

    def __init__(self, *args, previous_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["continues"].choices = [("", "Nothing: new in this cycle")] + previous_choices


class IndicatorRetireForm(forms.Form):
    reason = forms.CharField(**REASON_FIELD)


class CycleCountriesForm(forms.Form):
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    more = forms.CharField(
        label="More countries",
        required=False,
        help_text="ISO codes separated by commas or spaces, e.g. NZL, FJI.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = choices

    def clean_more(self) -> list[Country]:
        codes = [code.upper() for code in self.cleaned_data["more"].replace(",", " ").split()]
        found = {country.code: country for country in Country.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(f"Unknown country codes: {', '.join(unknown)}.")
        return [found[code] for code in dict.fromkeys(codes)]

    def country_list(self) -> list[Country]:
        chosen = list(self.cleaned_data.get("countries") or [])
        seen = {country.pk for country in chosen}
        return chosen + [country for country in self.cleaned_data.get("more") or [] if country.pk not in seen]


class BulkAssignmentForm(forms.Form):
    file = forms.FileField(label="Assignments CSV", help_text="Columns country, researcher, reviewer, due_date.")
    reason = forms.CharField(**REASON_FIELD)


def previous_choices(cycle: Cycle) -> list[tuple[str, str]]:
    """(code, "code title") of the previous cycle's indicators, in framework order (one query)."""
    if cycle.previous_id is None:
        return []
    return [
        (indicator.code, f"{indicator.code} {indicator.title}"[:90])
        for indicator in Indicator.objects.filter(cycle_id=cycle.previous_id).order_by("position")
    ]
