"""Top-level URLs. Public URLs are stable: tests and outside checks use them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from django.views.static import serve

from . import views

admin.site.site_header = _("연천군 민원 포털 관리")
admin.site.site_title = _("연천군 민원 포털 관리")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("text-size/", views.text_size, name="text_size"),
    path("", include("reception.urls")),
    path("staff/", include("staff_directory.urls")),
    path("complaints/staff/", include("complaints.urls_staff")),
    path("complaints/", include("complaints.urls")),
    path("notifications/", include("notifications.urls")),
    path("surveys/", include("surveys.urls")),
    path("open311/v2/", include("open311.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "yeoncheon_portal.views.page_not_found"

# Staff photos are public (they hang on the department's wall); attachments are not and
# never live under MEDIA_URL.
urlpatterns += [
    path(
        "media/staff/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT / "staff"},
        name="staff_media",
    ),
]
