"""simple-history's admin, scoped like the staff pages: model permissions on the historical model
(SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS) and, for objects of a country assessment, rights on it."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import CountryAssessment
from assessments.workflow import permissions

ADMIN_REASON = "changed in admin"


def country_assessment_of(obj) -> CountryAssessment | None:
    """The country assessment an editorial object belongs to (None for shared records such as sources)."""
    if obj is None:
        return None
    if isinstance(obj, CountryAssessment):
        return obj
    if hasattr(obj, "country_assessment"):
        return obj.country_assessment
    if hasattr(obj, "item"):
        return obj.item.country_assessment
    return None


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """History needs the historical model's view/change permission and rights on the object's country."""

    def _may_see_country(self, request, obj) -> bool:
        assessment = country_assessment_of(obj)
        return assessment is None or permissions.can_view_assessment(request.user, assessment)

    def has_view_history_permission(self, request, obj=None):
        return super().has_view_history_permission(request, obj) and self._may_see_country(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return super().has_change_history_permission(request, obj) and self._may_see_country(request, obj)

    def get_changeform_initial_data(self, request):
        """Initial values from the query string (`?country=5`), without ids that are not ids: a hand-edited URL
        such as `?country=:` must not reach the database (PostgreSQL refuses such a lookup with an error)."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except Exception:  # noqa: BLE001 (not a field: leave it to the form)
                continue
            if field.is_relation and not str(value).isdigit():
                del initial[name]
        return initial

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show an old version read-only. simple-history would save a POST here even with revert disabled and
        for users who may only view history; restoring goes through the item's history page instead."""
        if request.method == "POST":
            raise PermissionDenied("Restore earlier revisions from the item's history page.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        obj._change_reason = getattr(obj, "_change_reason", None) or ADMIN_REASON
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        obj._change_reason = "deleted in admin"
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance._history_user = request.user
            inline_form.instance._change_reason = ADMIN_REASON
        super().save_formset(request, form, formset, change)
