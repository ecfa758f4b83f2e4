"""Regional overview: staff pages (live data) and, in `public_urlpatterns`, public pages, downloads and the API."""

from django.urls import path

from assessments.overview import regional
from assessments.overview import views as overview

urlpatterns = [
    path("overview/", overview.LatestOverviewView.as_view(), name="overview-latest"),
    path("cycles/<int:year>/overview/", overview.CycleOverviewView.as_view(), name="cycle-overview"),
    path("cycles/<int:year>/heatmap/", overview.CycleHeatmapView.as_view(), name="cycle-heatmap"),
    path("cycles/<int:year>/charts/", overview.CycleChartsView.as_view(), name="cycle-charts"),
    path("cycles/<int:year>/indicators/", overview.CycleIndicatorRedirectView.as_view(), name="cycle-indicators"),
    path("cycles/<int:year>/indicators/<str:code>/", overview.CycleIndicatorView.as_view(), name="cycle-indicator"),
]

# Included in the "public" namespace by assessments/publishing/public_urls.py.
public_urlpatterns = [
    path("regional/", regional.RegionalLatestView.as_view(), name="regional-latest"),
    path("regional/<int:year>/", regional.RegionalView.as_view(), name="regional"),
    path(
        "regional/<int:year>/indicators/<str:code>/",
        regional.RegionalIndicatorView.as_view(),
        name="regional-indicator",
    ),
    path("regional/<int:year>/data.csv", regional.RegionalCsvView.as_view(), name="regional-csv"),
    path("regional/<int:year>/data.json", regional.RegionalJsonView.as_view(), name="regional-json"),
    path("api/v1/editions/", regional.EditionListApi.as_view(), name="api-editions"),
    path("api/v1/editions/<int:year>/<str:code>/", regional.EditionDetailApi.as_view(), name="api-edition-latest"),
    path(
        "api/v1/editions/<int:year>/<str:code>/v<int:number>/",
        regional.EditionDetailApi.as_view(),
        name="api-edition",
    ),
]
