"""Data pages for editors and admins: import (upload → dry-run preview → confirm) and export (download)."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.generic import FormView, View

from assessments.io.formats import FORMATS, FileError, max_upload_bytes
from assessments.io.forms import ExportForm, ImportForm
from assessments.io.report import ImportReport
from assessments.io.services import (
    RESOURCES,
    can_import,
    export_file,
    export_file_name,
    exportable,
    import_file,
    importable,
    is_data_editor,
    read_upload,
)
from assessments.io.uploads import upload_discard, upload_load, upload_store
from assessments.models import Cycle

logger = logging.getLogger(__name__)


class EditorRequiredMixin(LoginRequiredMixin):
    """Editors and admins only: others who are logged in get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_data_editor(request.user):
            raise PermissionDenied("Only editors and admins may import or export data.")
        return super().dispatch(request, *args, **kwargs)


class ImportView(EditorRequiredMixin, FormView):
    """Step 1: upload a file; it is checked in a dry run and kept server-side for the confirm step."""

    template_name = "io/import.html"
    form_class = ImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "resources": importable(self.request.user)}

    def get_initial(self):
        return {"resource": self.request.GET.get("resource", "indicator-assessments")}

    def post(self, request, *args, **kwargs):
        # Refuse an oversized upload before Django reads it to a temporary file (multipart adds a little).
        limit = max_upload_bytes()
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
            form = self.form_class(resources=importable(request.user), initial=self.get_initial())
            error = f"The file is larger than {limit / (1024 * 1024):.0f} MB, the most that can be uploaded."
            return self.render_to_response(self.get_context_data(form=form, upload_error=error), status=413)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        name = form.cleaned_data["resource"]
        report = ImportReport(resource=name, file_name=form.cleaned_data["file"].name, dry_run=True)
        token = None
        try:
            data, file_name = read_upload(form.cleaned_data["file"])
            report = import_file(name, data, user=self.request.user, dry_run=True, file_name=file_name)
            if report.ok and report.changed:
                token = upload_store(data, session=self.request.session, resource=name, file_name=file_name)
        except FileError as error:
            report.file_errors.append(str(error))
        return self.render_to_response(
            self.get_context_data(form=form, report=report, token=token, resource_label=RESOURCES[name].label)
        )


class ImportConfirmView(EditorRequiredMixin, View):
    """Step 2 (POST only): import the stored file for real; all rows or none."""

    http_method_names = ["post"]

    def post(self, request):
        token = request.POST.get("token", "")
        try:
            data, name, file_name = upload_load(token, session=request.session)
        except FileError as error:
            messages.error(request, str(error))
            return redirect("data-import")
        if not can_import(request.user, name):
            raise PermissionDenied
        report = import_file(name, data, user=request.user, dry_run=False, file_name=file_name)
        upload_discard(token, session=request.session)
        if report.ok:
            messages.success(request, f"Imported {report.summary()}")
        else:
            messages.error(request, "The import failed and nothing was written; see the report below.")
        context = {
            "form": ImportForm(resources=importable(request.user), initial={"resource": name}),
            "report": report,
            "resource_label": RESOURCES[name].label,
        }
        return render(request, "io/import.html", context)


class ExportView(EditorRequiredMixin, FormView):
    """Choose what to export and in which format; a valid choice downloads the file."""

    template_name = "io/export.html"
    form_class = ExportForm
    http_method_names = ["get"]  # an export is a read-only download

    def get_form_kwargs(self):
        kwargs = {
            "resources": exportable(self.request.user),
            "years": list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            "initial": {"resource": "indicator-assessments", "format": "xlsx"},
        }
        if "resource" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.download(form.cleaned_data)
        return self.render_to_response(self.get_context_data(form=form))

    def download(self, data) -> HttpResponse:
        name, format_name = data["resource"], data["format"]
        options = {"cycle": data["cycle"], "country": data["country"] or None}
        content = export_file(name, format_name, **options)
        response = HttpResponse(content, content_type=FORMATS[format_name]().get_content_type())
        response["Content-Disposition"] = f'attachment; filename="{export_file_name(name, format_name, **options)}"'
        return response
