from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("thanks/", views.thanks, name="thanks"),
    path("campaign/<slug:slug>/", views.campaign, name="campaign"),
    path("<str:token>/", views.answer, name="answer"),
]
