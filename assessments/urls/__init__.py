"""URL configuration, one module per concept so each area owns its routes."""

from django.urls import include, path

from . import core, history, overview, public, publishing

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    # Before core: core's catch-all item route would otherwise take `activity/`, `overview/`, `publish/`, …
    path("", include(overview.urlpatterns)),
    path("", include(history.urlpatterns)),
    path("", include("assessments.background.urls")),
    *publishing.urlpatterns,
    *core.urlpatterns,
    path("", include("assessments.urls.sources")),
    path("", include("assessments.urls.workflow")),
    path("data/", include("assessments.urls.io")),
]
