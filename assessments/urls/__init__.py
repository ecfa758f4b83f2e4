"""URL configuration, one module per concept so each area owns its routes."""

from django.urls import include, path

from . import core, public

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    *core.urlpatterns,
    path("data/", include("assessments.urls.io")),
]
