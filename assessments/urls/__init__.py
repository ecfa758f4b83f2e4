"""URL configuration, one module per concept so each area owns its routes."""

from django.urls import include, path

from . import core, history, public

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    path("", include(history.urlpatterns)),  # before core: see assessments/urls/history.py
    *core.urlpatterns,
]
