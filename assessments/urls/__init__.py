"""URL configuration, one module per concept so each area owns its routes."""

from django.urls import include, path

from . import core, public, publishing

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    *publishing.urlpatterns,  # before core: cycles/<year>/<country>/publish/ is not an item
    *core.urlpatterns,
]
