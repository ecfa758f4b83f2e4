from django.urls import path

from assessments.history import views as history

ITEM = "cycles/<int:year>/<str:country>/<str:item>/history/"

urlpatterns = [
    path(ITEM, history.ItemHistoryView.as_view(), name="item-history"),
    path(f"{ITEM}since-approval/", history.ItemSinceApprovalView.as_view(), name="item-history-since-approval"),
    path(f"{ITEM}revert/", history.ItemRevertView.as_view(), name="item-history-revert"),
    # Before core's `cycles/<year>/<country>/<item>/`, which would otherwise take "activity" for an item.
    path("cycles/<int:year>/<str:country>/activity/", history.ActivityView.as_view(), name="assessment-activity"),
]
