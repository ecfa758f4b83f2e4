from django.urls import path

from assessments.views import core

urlpatterns = [
    path("work/", core.DashboardView.as_view(), name="dashboard"),
    path("cycles/<int:year>/", core.CycleDetailView.as_view(), name="cycle-detail"),
    path("cycles/<int:year>/<str:country>/", core.CountryAssessmentView.as_view(), name="country-assessment"),
    path("cycles/<int:year>/<str:country>/<str:item>/", core.ItemDetailView.as_view(), name="item-edit"),
]
