from django.urls import path

from assessments.framework import views as core

urlpatterns = [
    path("cycles/<int:year>/", core.CycleDetailView.as_view(), name="cycle-detail"),
    path("cycles/<int:year>/add-countries/", core.CycleAddCountriesView.as_view(), name="cycle-add-countries"),
]
