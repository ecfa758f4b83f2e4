from django.urls import path

from assessments.views import core

urlpatterns = [
    path("cycles/<int:year>/", core.CycleDetailView.as_view(), name="cycle-detail"),
    path("sources/<str:key>/", core.SourceDetailView.as_view(), name="source-detail"),
]
