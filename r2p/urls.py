from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "r2p administration"
admin.site.site_title = "r2p admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("assessments.urls")),
]
