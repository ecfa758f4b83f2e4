"""Django admin for administrators: every model, searchable and filterable, with history."""

from django.contrib import admin

from assessments.history.admin import ScopedHistoryAdmin
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


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(CountryAssessment)
class CountryAssessmentAdmin(ScopedHistoryAdmin):
    list_display = ["country", "cycle", "legacy_score", "updated_at"]
    list_filter = ["cycle"]
    search_fields = ["country__name", "country__code"]
    list_select_related = ["country", "cycle"]
    autocomplete_fields = ["country"]
    inlines = [AssignmentInline]


class CitationInline(admin.TabularInline):
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
class AssessmentItemAdmin(ScopedHistoryAdmin):
    list_display = ["__str__", "kind", "rating", "trend", "status", "last_edited_by", "updated_at"]
    list_filter = ["country_assessment__cycle", "status", "kind", "rating", "trend"]
    search_fields = ["country_assessment__country__name", "indicator__code", "notes"]
    list_select_related = [
        "country_assessment__country",
        "country_assessment__cycle",
        "indicator",
        "last_edited_by",
    ]
    readonly_fields = ["version", "last_edited_by", "status"]
    raw_id_fields = ["country_assessment", "indicator"]
    inlines = [CitationInline]


@admin.register(Source)
class SourceAdmin(ScopedHistoryAdmin):
    list_display = ["key", "author_text", "issued_year", "title", "type", "link_status"]
    list_filter = ["type", "issued_year"]
    search_fields = ["key", "title", "author_text", "author_abbreviation", "url", "un_symbol"]


@admin.register(Citation)
class CitationAdmin(ScopedHistoryAdmin):
    list_display = ["key", "locator", "item", "source"]
    search_fields = ["key", "locator"]
    list_select_related = [
        "item__country_assessment__country",
        "item__country_assessment__cycle",
        "item__indicator",
        "source",
    ]
    raw_id_fields = ["item", "source"]


@admin.register(Assignment)
class AssignmentAdmin(ScopedHistoryAdmin):
    list_display = ["country_assessment", "user", "role", "created_at"]
    list_filter = ["role", "country_assessment__cycle"]
    search_fields = ["user__username", "country_assessment__country__name"]
    list_select_related = ["country_assessment__country", "country_assessment__cycle", "user"]
    autocomplete_fields = ["user"]


@admin.register(Comment)
class CommentAdmin(ScopedHistoryAdmin):
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
        return False  # editions are made by publishing (assessments.services.publishing.annex_publish)

    def has_change_permission(self, request, obj=None):
        return False  # a published edition never changes

    def has_delete_permission(self, request, obj=None):
        return False


from assessments.io import admin as io_admin  # noqa: E402, F401  (adds import/export to the admins above)
