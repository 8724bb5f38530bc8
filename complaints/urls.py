"""Citizen URLs of the complaints app (under /complaints/)."""

from django.urls import path

from complaints.views import citizen

app_name = "complaints"

urlpatterns = [
    path("new/", citizen.choose_type, name="new"),
    path("new/<slug:type_ref>/", citizen.filing_form, name="new_form"),
    path("receipt/<str:token>/", citizen.receipt, name="receipt"),
    path("track/", citizen.track, name="track"),
    path("track/<str:token>/", citizen.track_signed, name="track_signed"),
    path("track/<str:token>/answer/", citizen.answer_hold, name="answer_hold"),
]
