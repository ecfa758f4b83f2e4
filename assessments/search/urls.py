from django.urls import path

from . import views

urlpatterns = [path("search/", views.SearchView.as_view(), name="search")]
public_urlpatterns = [path("annexes/search/", views.PublicSearchView.as_view(), name="search")]
