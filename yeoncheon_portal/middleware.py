"""Request guards that apply to every view."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

NUL = "\x00"

logger = logging.getLogger(__name__)


class RejectNullCharactersMiddleware:
    """Answer 400 to a path or query string holding a NUL character.

    PostgreSQL cannot store or compare text with NUL, so such a value reaching a query
    would end in a server error. Form fields already refuse NUL with a message on the
    field (Django's ProhibitNullCharactersValidator); this guards what forms do not see:
    the path and the query string. The Open311 API answers in its own error format.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("주소에 쓸 수 없는 문자가 들어 있습니다. 주소를 다시 확인해 주세요.")
            if request.path.startswith("/open311/"):
                return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """Sign staff out after STAFF_SESSION_IDLE_MINUTES without a request.

    Staff accounts open personal data, so a desk left signed in must not stay usable.
    The time of the last request is kept in the session: set at sign-in
    (`mark_signed_in`), then written at most once a minute, so a busy clerk's requests do
    not each save the session. A request after a longer pause signs out and goes to the
    sign-in page with a message.
    """

    KEY = "staff_last_seen"

    @classmethod
    def mark_signed_in(cls, sender, request, user, **kwargs) -> None:
        """`user_logged_in` receiver: the idle time counts from the sign-in."""
        if user.is_staff and hasattr(request, "session"):
            request.session[cls.KEY] = int(timezone.now().timestamp())

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff:
            now = int(timezone.now().timestamp())
            last = request.session.get(self.KEY)
            idle_minutes = settings.STAFF_SESSION_IDLE_MINUTES
            if last is not None and now - last > idle_minutes * 60:
                logout(request)
                messages.info(
                    request,
                    _("%(minutes)d분 동안 사용하지 않아 로그아웃되었습니다. 다시 로그인해 주세요.")
                    % {"minutes": idle_minutes},
                )
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if last is None or now - last >= 60:
                request.session[self.KEY] = now
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that refuses, does not answer within DATABASE_CONNECT_TIMEOUT, or runs
    a statement past DATABASE_STATEMENT_TIMEOUT_MS: the visitor gets a plain 503 page in
    Korean and English saying that nothing was received and to try again (drawn without
    the database), not a 500 or a request hanging until gunicorn kills it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        logger.error("database unavailable for %s: %s", request.path, exception)
        # Drawn without the request's context processors: they may ask the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
