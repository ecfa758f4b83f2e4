from django.urls import path

from assessments.views import public

from .overview import public_urlpatterns as overview_public_urlpatterns

urlpatterns = [
    path("", public.AnnexListView.as_view(), name="annex-list"),
]

# The public regional overview, open data downloads and API (assessments/urls/overview.py).
urlpatterns += overview_public_urlpatterns
