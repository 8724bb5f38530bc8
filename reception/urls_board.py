from django.urls import path

from . import views

app_name = "board"
urlpatterns = [
    path("", views.board_list, name="list"),
    path("new/", views.board_new, name="new"),
    path("<int:pk>/", views.board_detail, name="detail"),
    path("<int:pk>/unlock/", views.board_unlock, name="unlock"),
    path("<int:pk>/attachment/", views.board_attachment, name="attachment"),
]
