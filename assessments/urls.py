"""URL configuration, one module per concept so each area owns its routes."""

from django.urls import include, path

from assessments.framework import urls as core
from assessments.history import urls as history
from assessments.overview import urls as overview
from assessments.publishing import public_urls as public
from assessments.publishing import urls as publishing
from assessments.search import urls as search_urls

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    path("", include(search_urls.urlpatterns)),
    # Before core: core's catch-all item route would otherwise take `activity/`, `overview/`, `publish/`, …
    path("", include(overview.urlpatterns)),
    path("", include(history.urlpatterns)),
    path("", include("assessments.method.urls")),  # issue 19; before core's catch-all country/item routes
    path("", include("assessments.background.urls")),
    *publishing.urlpatterns,
    *core.urlpatterns,
    path("", include("assessments.citations.urls")),
    path("", include("assessments.workflow.urls")),
    path("data/archive/", include("assessments.archive.urls")),
    path("data/", include("assessments.io.urls")),
]
