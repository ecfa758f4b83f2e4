"""Routes of the method pages; included before the catch-all country and item routes."""

from django.urls import path

from . import second_views, views

urlpatterns = [
    path("methodology/<int:year>/", views.MethodologyView.as_view(), name="methodology"),
    path("methodology/<int:year>/codebook.json", views.MethodologyJsonView.as_view(), name="methodology-json"),
    path("cycles/<int:year>/codebook/", views.CodebookView.as_view(), name="method-codebook"),
    path("cycles/<int:year>/codebook/coverage/", views.CoverageUpdateView.as_view(), name="method-coverage"),
    path("cycles/<int:year>/codebook/import/", views.CodebookImportView.as_view(), name="method-codebook-import"),
    path("cycles/<int:year>/codebook.csv", views.CodebookExportView.as_view(), name="method-codebook-export"),
    path("cycles/<int:year>/codebook/<str:code>/", views.GuidanceUpdateView.as_view(), name="method-guidance"),
    path("cycles/<int:year>/freshness/", views.FreshnessReportView.as_view(), name="method-freshness"),
    path("cycles/<int:year>/calibration/<str:code>/", views.CalibrationView.as_view(), name="method-calibration"),
    path("cycles/<int:year>/consistency/", views.ConsistencyView.as_view(), name="method-consistency"),
    path(
        "cycles/<int:year>/second-assessments/request/",
        second_views.SecondRequestView.as_view(),
        name="method-second-request",
    ),
    path("cycles/<int:year>/agreement/", second_views.AgreementView.as_view(), name="method-agreement"),
    path("second-ratings/<int:pk>/", second_views.SecondRatingView.as_view(), name="second-rating"),
    path("second-ratings/<int:pk>/settle/", second_views.SecondSettleView.as_view(), name="second-rating-settle"),
    path("second-ratings/<int:pk>/cancel/", second_views.SecondCancelView.as_view(), name="second-rating-cancel"),
    path(
        "cycles/<int:year>/<str:country>/<str:item>/waive-rationale/",
        views.RationaleWaiveView.as_view(),
        name="method-waive-rationale",
    ),
]
