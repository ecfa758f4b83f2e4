"""The search box and its filters (GET; nothing here changes data)."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from assessments.models import Country, Cycle, Indicator, ItemStatus, Rating, ThematicArea

from .models import DocumentKind
from .selectors import SearchFilters


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=300)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Everything"), *DocumentKind.choices])
    cycle = forms.TypedChoiceField(label="Cycle", required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label="Country", required=False)
    area = forms.ChoiceField(label="Thematic area", required=False)
    indicator = forms.ChoiceField(label="Indicator", required=False)
    rating = forms.ChoiceField(label="Rating", required=False, choices=[("", "Any rating"), *Rating.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *ItemStatus.choices])

    def __init__(self, *args, public: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.public = public
        self.fields["cycle"].choices = [("", "Any cycle")] + [
            (year, year) for year in Cycle.objects.order_by("-year").values_list("year", flat=True)
        ]
        self.fields["country"].choices = [("", "Any country")] + list(
            Country.objects.filter(assessments__isnull=False).distinct().order_by("name").values_list("code", "name")
        )
        areas: dict[str, str] = {}
        for code, name in ThematicArea.objects.order_by("-cycle__year", "position").values_list("code", "name"):
            areas.setdefault(code, name)  # the latest cycle's name of each area
        self.fields["area"].choices = [("", "Any thematic area"), *areas.items()]
        codes = dict.fromkeys(Indicator.objects.order_by("position").values_list("code", flat=True))
        self.fields["indicator"].choices = [("", "Any indicator")] + [(code, code) for code in codes]
        if public:
            del self.fields["status"], self.fields["kind"]

    def filter_controls(self) -> list[tuple[forms.BoundField, str]]:
        """Each filter and its <select>, built in one pass: Django's widget templates render each option through a
        template of its own, which made the filters the slowest part of every search page (hundreds of options)."""
        controls = []
        for name, field in self.fields.items():
            if name == "q":
                continue
            bound = self[name]
            current = "" if bound.value() is None else str(bound.value())
            selected = mark_safe(" selected")
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((value, selected if str(value) == current else "", label) for value, label in field.choices),
            )
            controls.append((bound, format_html('<select name="{}" id="{}">{}</select>', name, bound.auto_id, options)))
        return controls

    def filters(self) -> SearchFilters:
        if not self.is_valid():
            return SearchFilters()
        data = self.cleaned_data
        return SearchFilters(
            cycle=data.get("cycle"),
            country=data.get("country") or "",
            area=data.get("area") or "",
            indicator=data.get("indicator") or "",
            rating=data.get("rating") or "",
            status=data.get("status") or "",
            kind=data.get("kind") or "",
        )

    @property
    def text(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""
