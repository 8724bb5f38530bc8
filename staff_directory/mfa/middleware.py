"""Keeps staff sessions honest about the second factor.

For a signed-in staff member, before any view but signing in and out:

* a session without a code although the user has an app (signed in before the app was
  enrolled elsewhere, or through ``force_login``) is signed out, back to the sign-in
  page, where the code is asked for;
* with ``STAFF_MFA_REQUIRED``, a staff member without an app is sent to the enrolment
  page: every view, not only a list of staff ones, so a new staff page cannot be
  forgotten. Only enrolment itself, the language and text-size switches and the health
  check stay open.

Staff sessions without an app cost no query here (see ``services.session_state``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services

SIGN_IN_VIEWS = frozenset({"admin:login", "admin:logout"})
OPEN_WHILE_ENROLLING = frozenset(
    {
        "staff_directory:me_otp",
        "staff_directory:me_otp_remove",
        "set_language",
        "text_size",
        "healthz",
    }
)


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if view_name in SIGN_IN_VIEWS or user.is_verified():
            return None
        state = services.session_state(request)
        if state == services.NO_DEVICE and settings.STAFF_MFA_REQUIRED:
            # Enrolled in another session since this one began? Then the code is due.
            state = services.session_state(request, refresh=True)
        if state == services.HAS_DEVICE:
            services.sign_out_unverified(request)
            messages.info(request, _("인증 앱의 코드와 함께 다시 로그인해 주세요."))
            return redirect_to_login(request.get_full_path())
        if settings.STAFF_MFA_REQUIRED and view_name not in OPEN_WHILE_ENROLLING:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('staff_directory:me_otp')}?{query}")
        return None
