"""Forms of the editorial workflow: the item editor (content fields only) and the review actions."""

from django import forms

from assessments.models import AssessmentItem, AssignmentRole, ItemKind, Rating, Trend
from assessments.services.previous import PreviousCycle
from assessments.services.workflow import EDITABLE_FIELDS


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
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}))
    change_rationale = forms.CharField(
        label="Why the rating changed", required=False, widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "true"})
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
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ReopenForm(forms.Form):
    reason = forms.CharField(max_length=400, widget=forms.TextInput)


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class AssignmentForm(forms.Form):
    user = forms.IntegerField()
    role = forms.ChoiceField(choices=AssignmentRole.choices)
