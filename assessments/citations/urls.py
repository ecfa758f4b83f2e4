from django.urls import path

from assessments.citations import views as sources

# Fixed paths come before `<path:key>` (keys may contain "/").
urlpatterns = [
    path("sources/", sources.SourceListView.as_view(), name="source-list"),
    path("sources/new/", sources.SourceCreateView.as_view(), name="source-create"),
    path("sources/import/", sources.SourceImportView.as_view(), name="source-import"),
    path("sources/export.json", sources.SourceExportView.as_view(), name="source-export"),
    path("sources/report/<int:year>/<str:country>/", sources.CitationReportView.as_view(), name="citation-report"),
    path("sources/<path:key>/edit/", sources.SourceUpdateView.as_view(), name="source-edit"),
    path("sources/<path:key>/merge/", sources.SourceMergeView.as_view(), name="source-merge"),
    path("sources/<path:key>/", sources.SourceDetailView.as_view(), name="source-detail"),
]
