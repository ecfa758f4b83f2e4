"""Django admin for administrators: every model, searchable and filterable, with history.

Editorial content never changes here behind the workflow: items, citations, comments and editions are read-only
(content is written in r2p's editor, by import or by the archive path, all through the content service); a country
assessment added here is started by the same service as on the cycle page (with all its items), and assignments
are made and removed by the assignment service, with its role rules.

Choosers of a country or a user are plain selects, not autocomplete_fields: the admin's select2 (4.0.13) draws a
combobox and a textbox that nothing on the select can name while it is empty (axe-core, tests/browser/
test_every_page.py), where a native select is named by its label and searchable by typing.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from assessments.history.admin import ADMIN_REASON, ScopedHistoryAdmin
from assessments.models import (
    AssessmentItem,
    Assignment,
    Citation,
    Comment,
    Country,
    CountryAssessment,
    Cycle,
    Edition,
    Indicator,
    Source,
    ThematicArea,
)
from assessments.workflow.assignments import assignment_create, assignment_delete, assignment_problem
from assessments.workflow.items import country_assessment_create


class ThematicAreaInline(admin.TabularInline):
    model = ThematicArea
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["year", "previous", "display_title", "ibid_enabled"]
    inlines = [ThematicAreaInline]


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "cycle", "position"]
    list_filter = ["cycle"]
    search_fields = ["code", "name"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "thematic_area", "cycle", "position"]
    list_filter = ["cycle", "thematic_area__code"]
    search_fields = ["code", "title"]
    list_select_related = ["thematic_area", "cycle"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_in_text", "alpha2"]
    search_fields = ["code", "name", "alpha2"]


class ReadOnlyAdminMixin:
    """Viewable with its history, never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentAdminForm(forms.ModelForm):
    """The role rules of the assignment panel (assignment_problem), checked before anything is saved."""

    class Meta:
        model = Assignment
        fields = ["country_assessment", "user", "role"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and cleaned.get("user") and cleaned.get("role"):
            problem = assignment_problem(assignee=cleaned["user"], role=cleaned["role"])
            if problem:
                raise ValidationError({"user": problem})
        return cleaned


class AssignmentInline(admin.TabularInline):
    model = Assignment
    form = AssignmentAdminForm
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False  # existing rows are shown read-only; add a new one or delete


@admin.register(CountryAssessment)
class CountryAssessmentAdmin(ScopedHistoryAdmin):
    list_display = ["country", "cycle", "legacy_score", "updated_at"]
    list_filter = ["cycle"]
    search_fields = ["country__name", "country__code"]
    list_select_related = ["country", "cycle"]
    inlines = [AssignmentInline]

    def get_readonly_fields(self, request, obj=None):
        return ["country", "cycle"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = country_assessment_create(
            country=obj.country, cycle=obj.cycle, user=request.user, reason=ADMIN_REASON, legacy_score=obj.legacy_score
        )
        obj.pk, obj._state.adding = created.pk, False

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        for assignment in formset.save(commit=False):
            try:
                assignment_create(
                    country_assessment=form.instance,
                    assignee=assignment.user,
                    role=assignment.role,
                    user=request.user,
                    reason=ADMIN_REASON,
                )
            except ValidationError as refused:
                messages.error(request, " ".join(refused.messages))
        for assignment in formset.deleted_objects:
            assignment_delete(assignment=assignment, user=request.user)


class CitationInline(admin.TabularInline):  # citations are derived from the notes
    model = Citation
    extra = 0
    fields = ["position", "key", "source", "locator"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # citations are derived from the notes

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


@admin.register(AssessmentItem)
class AssessmentItemAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ["__str__", "kind", "rating", "trend", "status", "last_edited_by", "updated_at"]
    list_filter = ["country_assessment__cycle", "status", "kind", "rating", "trend"]
    search_fields = ["country_assessment__country__name", "indicator__code", "notes"]
    list_select_related = [
        "country_assessment__country",
        "country_assessment__cycle",
        "indicator",
        "last_edited_by",
    ]
    inlines = [CitationInline]


@admin.register(Source)
class SourceAdmin(ScopedHistoryAdmin):
    list_display = ["key", "author_text", "issued_year", "title", "type", "link_status"]
    list_filter = ["type", "issued_year"]
    search_fields = ["key", "title", "author_text", "author_abbreviation", "url", "un_symbol"]


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ["key", "locator", "item", "source"]
    search_fields = ["key", "locator"]
    list_select_related = [
        "item__country_assessment__country",
        "item__country_assessment__cycle",
        "item__indicator",
        "source",
    ]


@admin.register(Assignment)
class AssignmentAdmin(ScopedHistoryAdmin):
    list_display = ["country_assessment", "user", "role", "created_at"]
    list_filter = ["role", "country_assessment__cycle"]
    search_fields = ["user__username", "country_assessment__country__name"]
    list_select_related = ["country_assessment__country", "country_assessment__cycle", "user"]
    raw_id_fields = ["country_assessment"]
    form = AssignmentAdminForm

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # add or delete; never re-point

    def save_model(self, request, obj, form, change):
        created = assignment_create(
            country_assessment=obj.country_assessment,
            assignee=obj.user,
            role=obj.role,
            user=request.user,
            reason=ADMIN_REASON,
        )
        obj.pk, obj._state.adding = created.pk, False

    def delete_model(self, request, obj):
        assignment_delete(assignment=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            assignment_delete(assignment=assignment, user=request.user)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ["item", "author", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    search_fields = ["body", "author__username"]
    raw_id_fields = ["item"]


@admin.register(Edition)
class EditionAdmin(ScopedHistoryAdmin):
    list_display = ["country_assessment", "number", "published_at", "published_by", "content_hash"]
    list_filter = ["country_assessment__cycle"]
    readonly_fields = [field.name for field in Edition._meta.fields]

    def has_add_permission(self, request):
        return False  # editions are made by publishing (assessments.publishing.services.annex_publish)

    def has_change_permission(self, request, obj=None):
        return False  # a published edition never changes

    def has_delete_permission(self, request, obj=None):
        return False


from assessments.io import admin as io_admin  # noqa: E402, F401  (adds import/export to the admins above)
