from django.contrib import admin
from django.urls import include, path

from assessments.accounts.views import ThrottledPasswordResetView

admin.site.site_header = "r2p administration"
admin.site.site_title = "r2p admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("assessments.urls")),
]
