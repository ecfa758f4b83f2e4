from django.urls import path

from assessments.views import core

urlpatterns = [
    path("cycles/<int:year>/", core.CycleDetailView.as_view(), name="cycle-detail"),
]
