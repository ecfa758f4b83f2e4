from django.urls import include, path

from assessments.review import views as review_views
from assessments.workflow import dashboard
from assessments.workflow import views as workflow

item_patterns = [
    path("", workflow.ItemEditView.as_view(), name="item-edit"),
    path("preview/", workflow.ItemPreviewView.as_view(), name="item-preview"),
    path("rating-preview/", workflow.ItemRatingPreviewView.as_view(), name="item-rating-preview"),
    path("submit/", workflow.ItemSubmitView.as_view(), name="item-submit"),
    path("approve/", workflow.ItemApproveView.as_view(), name="item-approve"),
    path("request-changes/", workflow.ItemRequestChangesView.as_view(), name="item-request-changes"),
    path("reopen/", workflow.ItemReopenView.as_view(), name="item-reopen"),
    path("ask-review/", workflow.ItemReviewAskView.as_view(), name="item-review-ask"),
    path("start-from-previous/", workflow.ItemCopyFromPreviousView.as_view(), name="item-copy-previous"),
    path("comments/", workflow.CommentCreateView.as_view(), name="comment-create"),
    path("comments/<int:pk>/resolve/", workflow.CommentResolveView.as_view(), name="comment-resolve"),
    path("", include("assessments.review.urls")),
]

urlpatterns = [
    path("work/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("work/email/", review_views.MailPreferencesView.as_view(), name="mail-preferences"),
    path("work/source-picker/", workflow.SourcePickerView.as_view(), name="source-picker"),
    path("cycles/<int:year>/due-date/", review_views.CycleDueDateView.as_view(), name="cycle-due-date"),
    path("cycles/<int:year>/<str:country>/", workflow.CountryAssessmentView.as_view(), name="country-assessment"),
    path(
        "cycles/<int:year>/<str:country>/assignments/",
        workflow.AssignmentCreateView.as_view(),
        name="assignment-create",
    ),
    path(
        "cycles/<int:year>/<str:country>/assignments/<int:pk>/remove/",
        workflow.AssignmentDeleteView.as_view(),
        name="assignment-delete",
    ),
    path("cycles/<int:year>/<str:country>/<str:item>/", include(item_patterns)),
]
