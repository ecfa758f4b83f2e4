"""Forms of the editorial workflow: the item editor (content fields only) and the review actions."""

import re

from django import forms
from django.db.models import Q

from assessments.limits import COMMENT_MAX_CHARS, NOTES_MAX_CHARS
from assessments.models import AssessmentItem, AssignmentRole, ItemKind, Rating, Trend
from assessments.workflow.previous import PreviousCycle
from assessments.workflow.services import EDITABLE_FIELDS


def _normalise_newlines(text: str) -> str:
    """Browsers send textarea lines ending in CRLF; store LF so an unchanged text compares equal."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class ItemForm(forms.Form):
    """The editable content of an item (EDITABLE_FIELDS) and the version it was loaded at."""

    rating = forms.ChoiceField(choices=[("", "Not rated"), *Rating.choices], required=False, widget=forms.RadioSelect)
    trend = forms.ChoiceField(choices=[("", "—"), *Trend.choices], required=False)
    trend_override_reason = forms.CharField(
        label="Reason for the trend", max_length=500, required=False, widget=forms.TextInput
    )
    notes = forms.CharField(
        required=False,
        max_length=NOTES_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
    )
    change_rationale = forms.CharField(
        label="Why the rating changed",
        required=False,
        max_length=NOTES_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "true"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, item: AssessmentItem, previous: PreviousCycle, **kwargs):
        self.item = item
        self.previous = previous
        kwargs.setdefault("initial", self.initial_for(item, previous))
        super().__init__(*args, **kwargs)
        if item.kind != ItemKind.INDICATOR:
            for name in ("rating", "trend", "trend_override_reason", "change_rationale"):
                del self.fields[name]
            self.fields["notes"].label = "Text"
        elif previous.derives_trend:
            self.fields["trend"].label = "Override the trend"
            self.fields["trend"].choices = [("", "Follow the ratings"), *Trend.choices]
        self.fields["notes"].widget.attrs["id"] = "id_notes"

    @staticmethod
    def initial_for(item: AssessmentItem, previous: PreviousCycle) -> dict:
        initial = {"version": item.version, "notes": item.notes}
        if item.kind == ItemKind.INDICATOR:
            overridden = not previous.derives_trend or bool(item.trend_override_reason.strip())
            initial.update(
                rating=item.rating,
                trend=item.trend if overridden else "",
                trend_override_reason=item.trend_override_reason,
                change_rationale=item.change_rationale,
            )
        return initial

    def clean_notes(self) -> str:
        return _normalise_newlines(self.cleaned_data["notes"])

    def clean_change_rationale(self) -> str:
        return _normalise_newlines(self.cleaned_data["change_rationale"])

    def clean(self):
        cleaned = super().clean()
        if self.item.kind == ItemKind.INDICATOR and self.previous.derives_trend:
            trend, reason = cleaned.get("trend"), (cleaned.get("trend_override_reason") or "").strip()
            derived = self.previous.derived_trend(cleaned.get("rating") or "")
            if trend and trend != derived and not reason:
                self.add_error(
                    "trend_override_reason",
                    f"Say why the trend is {Trend(trend).label} when the ratings give "
                    f"{Trend(derived).label if derived else 'no trend yet'}.",
                )
        return cleaned

    def changes(self) -> dict:
        """The cleaned content, as keyword arguments for item_update."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.fields}


class ReviewForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(max_length=400, widget=forms.TextInput)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignmentForm(forms.Form):
    user = forms.IntegerField()
    role = forms.ChoiceField(choices=AssignmentRole.choices)


class AddCountriesForm(forms.Form):
    """Countries to add to a cycle: ISO alpha-3 codes or names, and/or every country of the previous cycle."""

    countries = forms.CharField(
        required=False,
        label="Countries",
        help_text="ISO alpha-3 codes or UN short names, separated by commas or new lines (e.g. NZL, AUS, Japan).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    from_previous = forms.BooleanField(required=False, label="Every country assessed in the previous cycle")

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        if cycle.previous_id is None:
            del self.fields["from_previous"]
        else:
            self.fields["from_previous"].label = f"Every country assessed in {cycle.previous.year} and not yet here"

    def clean(self):
        from assessments.models import Country, CountryAssessment

        cleaned = super().clean()
        wanted, unknown = {}, []
        for token in filter(None, (part.strip() for part in re.split(r"[,;\n]", cleaned.get("countries", "")))):
            country = Country.objects.filter(Q(code__iexact=token) | Q(name__iexact=token)).first()
            if country is None:
                unknown.append(token)
            else:
                wanted[country.pk] = country
        if unknown:
            raise forms.ValidationError(f"No country is called or coded {', '.join(repr(u) for u in unknown)}.")
        if cleaned.get("from_previous"):
            present = CountryAssessment.objects.filter(cycle=self.cycle).values("country")
            for assessment in (
                CountryAssessment.objects.filter(cycle=self.cycle.previous_id)
                .exclude(country__in=present)
                .select_related("country")
            ):
                wanted[assessment.country_id] = assessment.country
        if not wanted:
            raise forms.ValidationError("Name at least one country, or choose the previous cycle's countries.")
        cleaned["country_list"] = sorted(wanted.values(), key=lambda country: country.name)
        return cleaned
