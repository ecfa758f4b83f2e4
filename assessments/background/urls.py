from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("tasks/failed/", views.FailedTaskListView.as_view(), name="failed-tasks"),
    path("tasks/failed/<int:pk>/retry/", views.FailedTaskRetryView.as_view(), name="failed-task-retry"),
    path("releases/", views.ReleaseListView.as_view(), name="releases"),
    path("releases/<int:pk>/cancel/", views.ReleaseCancelView.as_view(), name="release-cancel"),
]
