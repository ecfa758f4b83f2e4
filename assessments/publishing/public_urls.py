from django.urls import path

from assessments.background.serving import edition_file_view
from assessments.overview.urls import public_urlpatterns as overview_public_urlpatterns
from assessments.publishing import (
    converters,  # noqa: F401  (registers <annexfmt:>)
    public,
)
from assessments.search.urls import public_urlpatterns as search_public_urlpatterns

urlpatterns = [
    path("", public.AnnexListView.as_view(), name="annex-list"),
    path("annex/<int:year>/<str:country>/", public.AnnexDetailView.as_view(), name="annex"),
    path("annex/<int:year>/<str:country>/v<int:number>/", public.AnnexDetailView.as_view(), name="annex-edition"),
    path(
        "annex/<int:year>/<str:country>/v<int:number>.<annexfmt:fmt>",
        public.AnnexDownloadView.as_view(),
        name="annex-download",
    ),
    path(
        "annex/<int:year>/<str:country>/v<int:number>/original",
        public.AnnexOriginalView.as_view(),
        name="annex-original",
    ),
    # A published file by its content-hashed name. r2p/wsgi.py answers it before Django (no middleware, no
    # database); this route answers it where that wrapper is absent (test client, ASGI).
    path("files/editions/<str:name>", edition_file_view, name="edition-file"),
]

# The public regional overview, open data downloads and API (assessments/overview/urls.py).
urlpatterns += overview_public_urlpatterns

# The public search over published annexes (assessments/search/).
urlpatterns += search_public_urlpatterns
