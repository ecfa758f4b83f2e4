"""django-import-export in the Django admin: import/export buttons on the r2p models that have a resource.

Each admin registered in assessments/admin.py is re-registered with the import/export mixin, so this area
adds behaviour without editing those classes. Edition has no import (published editions never change).
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError
from django.http import HttpResponseBadRequest
from import_export.admin import ImportExportMixin

from assessments.models import (
    AssessmentItem,
    Assignment,
    Country,
    CountryAssessment,
    Cycle,
    Indicator,
    Source,
    ThematicArea,
)

from .formats import ADMIN_FORMATS, FileError
from .forms import AdminSafeImportForm
from .resources import (
    AssignmentResource,
    CountryAssessmentResource,
    CountryResource,
    CycleResource,
    FastIndicatorAssessmentResource,
    IndicatorResource,
    SourceResource,
    ThematicAreaResource,
)
from .services import can_export, can_import


class R2PImportExportMixin(ImportExportMixin):
    """Two-step import (dry-run preview, then confirm) with r2p's formats, checks, rights and plain errors."""

    formats = ADMIN_FORMATS
    import_form_class = AdminSafeImportForm
    import_template_name = "io/admin/import.html"
    export_template_name = "io/admin/export.html"  # without the inline handler the CSP blocks
    import_error_display = ("message",)

    def has_import_permission(self, request):
        return can_import(request.user, self.resource_classes[0].name)

    def has_export_permission(self, request):
        return can_export(request.user, self.resource_classes[0].name)

    def export_action(self, request):
        """A filter in the query string that is not a field (a hand-edited URL) is a bad request, not a 500."""
        try:
            return super().export_action(request)
        except (IncorrectLookupParameters, FieldError):
            return HttpResponseBadRequest("The export's filters name no field of this list.")

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", "The file could not be read; check that it is a file of the chosen format.")


def with_import_export(model, resource, **attributes) -> None:
    """Re-register `model`'s admin with import/export of `resource`."""
    current = type(admin.site._registry[model])
    admin.site.unregister(model)
    name = current.__name__
    admin.site.register(
        model, type(name, (R2PImportExportMixin, current), {"resource_classes": [resource], **attributes})
    )


with_import_export(Country, CountryResource)
with_import_export(Cycle, CycleResource)
with_import_export(ThematicArea, ThematicAreaResource)
with_import_export(Indicator, IndicatorResource)
with_import_export(Source, SourceResource)
with_import_export(CountryAssessment, CountryAssessmentResource)
with_import_export(Assignment, AssignmentResource)
# The bulk path records every change in the history with the user and file name; the admin log would repeat it
# and needs model instances the bulk path does not keep.
with_import_export(AssessmentItem, FastIndicatorAssessmentResource, skip_admin_log=True)
