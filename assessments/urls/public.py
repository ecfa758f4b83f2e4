from django.urls import path

from assessments.views import public

urlpatterns = [
    path("", public.AnnexListView.as_view(), name="annex-list"),
]
