from django.urls import path

from assessments.framework import opening_views as opening
from assessments.framework import views as core

urlpatterns = [
    path("cycles/new/", opening.CycleOpenView.as_view(), name="cycle-new"),
    path("cycles/<int:year>/", core.CycleDetailView.as_view(), name="cycle-detail"),
    path("cycles/<int:year>/add-countries/", core.CycleAddCountriesView.as_view(), name="cycle-add-countries"),
    # Setting up a new cycle, step by step (step 1 is cycle-new)
    path("cycles/<int:year>/framework/", opening.CycleFrameworkView.as_view(), name="cycle-framework"),
    path("cycles/<int:year>/framework/add/", opening.IndicatorAddView.as_view(), name="cycle-indicator-add"),
    path(
        "cycles/<int:year>/framework/<str:code>/rename/",
        opening.IndicatorRenameView.as_view(),
        name="cycle-indicator-rename",
    ),
    path("cycles/<int:year>/framework/<str:code>/map/", opening.IndicatorMapView.as_view(), name="cycle-indicator-map"),
    path(
        "cycles/<int:year>/framework/<str:code>/retire/",
        opening.IndicatorRetireView.as_view(),
        name="cycle-indicator-retire",
    ),
    path("cycles/<int:year>/countries/", opening.CycleCountriesView.as_view(), name="cycle-countries"),
    path("cycles/<int:year>/assignments/", opening.CycleAssignmentsView.as_view(), name="cycle-assignments"),
]
