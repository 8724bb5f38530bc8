from django.urls import path

from . import views

app_name = "consult"
urlpatterns = [
    path("", views.consult_new, name="new"),
    path("done/", views.consult_done, name="done"),
]
