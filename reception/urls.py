"""Reception URLs, mounted at the site root: /consult/, /board/, /praise/ for citizens and
/staff/memos/, /staff/consultations/, /staff/board/ for staff. Included before the
directory's /staff/<department>/ so that these fixed paths win."""

from django.urls import include, path

urlpatterns = [
    path("consult/", include("reception.urls_consult")),
    path("board/", include("reception.urls_board")),
    path("praise/", include("reception.urls_praise")),
    path("staff/", include("reception.urls_staff")),
]
