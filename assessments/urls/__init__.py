"""URL configuration, one module per concept so each area owns its routes."""

from django.urls import include, path

from . import core, overview, public

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    path("", include(overview.urlpatterns)),
    *core.urlpatterns,
    path("", include("assessments.urls.sources")),
]
