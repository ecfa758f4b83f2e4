from django.urls import path

from assessments.publishing import converters  # noqa: F401  (registers <annexfmt:>)
from assessments.publishing import views as publishing

urlpatterns = [
    path("cycles/<int:year>/<str:country>/publish/", publishing.PublishView.as_view(), name="annex-publish"),
    path(
        "cycles/<int:year>/<str:country>/annex/draft.<annexfmt:fmt>",
        publishing.DraftExportView.as_view(),
        name="annex-draft",
    ),
]
