from django.urls import path

from . import views

app_name = "reception"
urlpatterns = [
    path("memos/", views.desk, name="desk"),
    path("memos/new/", views.memo_new, name="memo_new"),
    path("memos/<int:pk>/", views.memo_detail, name="memo_detail"),
    path("memos/<int:pk>/callback/", views.memo_close, name="memo_close"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/callback/", views.consultation_close, name="consultation_close"),
    path("board/<int:pk>/", views.post_detail, name="post_detail"),
    path("board/<int:pk>/answer/", views.post_answer, name="post_answer"),
]
