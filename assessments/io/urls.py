"""Data pages for editors and admins, included under /data/."""

from django.urls import path

from assessments.io import views as io

urlpatterns = [
    path("import/", io.ImportView.as_view(), name="data-import"),
    path("import/confirm/", io.ImportConfirmView.as_view(), name="data-import-confirm"),
    path("export/", io.ExportView.as_view(), name="data-export"),
]
