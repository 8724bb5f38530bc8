"""The staff member's own authenticator-app pages: enrol one, see it, remove it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..views import staff_only
from . import services
from .forms import EnrolForm, RemoveForm


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _unverified(request: HttpRequest) -> HttpResponse:
    """The user has an app but this session gave no code of it: sign in again."""
    services.sign_out_unverified(request)
    messages.info(request, _("인증 앱의 코드와 함께 다시 로그인해 주세요."))
    return redirect_to_login(request.get_full_path())


@never_cache
@staff_only
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new secret and store it once the app's first code is typed.

    A staff member with an app already sees when it was enrolled and the way to remove it.
    """
    user = request.user
    device = services.confirmed_device(user)
    if device is not None:
        if not user.is_verified():
            return _unverified(request)
        if request.method == "POST":
            return redirect("staff_directory:me_otp")
        return render(request, "staff_directory/mfa_enrolled.html", {"device": device})

    key = services.pending_key(request)
    form = EnrolForm(
        request.POST or None, initial={"next": _safe_next(request, request.GET.get("next"))}
    )
    if request.method == "POST" and form.is_valid():
        try:
            device = services.enrol(user, key, form.cleaned_data["code"], now=timezone.now())
        except ValidationError as refused:
            form.add_error("code", refused)
        else:
            services.signed_in_with(request, device)
            messages.success(
                request, _("인증 앱을 등록했습니다. 다음 로그인부터 앱의 코드도 입력합니다.")
            )
            return redirect(
                _safe_next(request, form.cleaned_data["next"]) or "staff_directory:me_otp"
            )
    label = _("인증 앱으로 찍을 QR 코드입니다. 찍을 수 없으면 아래 설정 키를 직접 입력하세요.")
    return render(
        request,
        "staff_directory/mfa_enrol.html",
        {
            "form": form,
            "qr_svg": services.qr_svg(services.config_url(user, key), label),
            "manual_key": services.manual_key(key),
            "issuer": settings.OTP_TOTP_ISSUER,
            "required": settings.STAFF_MFA_REQUIRED,
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@staff_only
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest) -> HttpResponse:
    """Remove one's own app after typing a current code from it."""
    user = request.user
    device = services.confirmed_device(user)
    if device is None:
        return redirect("staff_directory:me_otp")
    if not user.is_verified():
        return _unverified(request)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove(user, form.cleaned_data["code"])
        except ValidationError as refused:
            form.add_error("code", refused)
        else:
            services.forget_device(request)
            messages.success(request, _("인증 앱 등록을 해제했습니다."))
            return redirect("staff_directory:me_otp")
    return render(
        request,
        "staff_directory/mfa_remove.html",
        {"form": form, "device": device, "required": settings.STAFF_MFA_REQUIRED},
        status=400 if form.is_bound else 200,
    )
