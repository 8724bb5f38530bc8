from django.urls import path

from . import views

app_name = "praise"
urlpatterns = [
    path("", views.praise_new, name="new"),
    path("done/", views.praise_done, name="done"),
]
