from django.urls import path

from . import views
from .mfa import views as mfa_views

app_name = "staff_directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("me/presence/", views.me_presence, name="me_presence"),
    path("me/photo/", views.me_photo, name="me_photo"),
    path("me/otp/", mfa_views.enrol, name="me_otp"),
    path("me/otp/remove/", mfa_views.remove, name="me_otp_remove"),
    path("portraits/<int:pk>.svg", views.portrait, name="portrait"),
    path("<slug:slug>/", views.department, name="department"),
    path("<slug:slug>/seating/", views.seating, name="seating"),
    path("<slug:slug>/nameplates/", views.nameplates, name="nameplates"),
]
