from django.urls import path

from . import views

urlpatterns = [
    path("", views.ArchiveImportView.as_view(), name="archive-import"),
    path("uploads/<int:pk>/", views.ArchiveUploadView.as_view(), name="archive-upload"),
    path("review/", views.ArchiveReviewView.as_view(), name="archive-review"),
    path("confirm/", views.ArchiveConfirmView.as_view(), name="archive-confirm"),
]
