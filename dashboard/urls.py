from django.urls import path, re_path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("lists/", views.worklists, name="lists"),
    re_path(
        rf"^{views.EXPORT_PREFIX}(?P<table>[a-z0-9_]+)\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
]
