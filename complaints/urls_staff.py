"""Staff URLs of the complaints app (under /complaints/staff/)."""

from django.urls import path

from complaints.views import access_review, staff

app_name = "complaints_staff"

urlpatterns = [
    path("intake/", staff.intake, name="intake"),
    path("intake/<int:pk>/", staff.intake_done, name="intake_done"),
    path("attachments/<int:pk>/", staff.attachment, name="attachment"),
    path("access-log/", access_review.access_review, name="access_review"),
]
