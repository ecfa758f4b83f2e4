"""The review feature's URLs on one item (included under cycles/<year>/<country>/<item>/)."""

from django.urls import path

from assessments.review import views

urlpatterns = [
    path("threads/", views.ThreadCreateView.as_view(), name="thread-create"),
    path("comments/<int:pk>/reply/", views.CommentReplyView.as_view(), name="comment-reply"),
    path("comments/<int:pk>/reopen/", views.CommentReopenView.as_view(), name="comment-reopen"),
    path("withdraw/", views.ItemWithdrawView.as_view(), name="item-withdraw"),
    path("suggestions/", views.SuggestionCreateView.as_view(), name="suggestion-create"),
    path("suggestions/accept-all/", views.SuggestionAcceptAllView.as_view(), name="suggestion-accept-all"),
    path("suggestions/<int:pk>/accept/", views.SuggestionDecideView.as_view(), name="suggestion-accept"),
    path("suggestions/<int:pk>/reject/", views.SuggestionDecideView.as_view(accept=False), name="suggestion-reject"),
    path("changes-since/", views.ChangesSinceView.as_view(), name="item-changes-since"),
    path("presence/", views.PresenceView.as_view(), name="item-presence"),
    path("mention-people/", views.MentionPeopleView.as_view(), name="item-mention-people"),
]
