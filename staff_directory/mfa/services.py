"""Enrolling, checking and removing a staff member's authenticator app.

A staff member has at most one confirmed ``TOTPDevice``. Enrolment keeps the new secret
in the session (never in the database) until the staff member has typed one code from
the app: only then is a confirmed device stored, so abandoned enrolments leave nothing
behind. The session also remembers, from sign-in on, whether the user had an app
(``STATE_SESSION_KEY``): the middleware then needs no query for the many staff without.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from binascii import unhexlify
from datetime import datetime
from typing import TYPE_CHECKING, Any

import segno
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

logger = logging.getLogger(__name__)

PENDING_KEY_SESSION_KEY = "staff_mfa_pending_key"
STATE_SESSION_KEY = "staff_mfa_state"
HAS_DEVICE = "device"
NO_DEVICE = "none"

# What every authenticator app understands: SHA-1, 6 digits, 30-second steps. One step
# either side is accepted, for a phone clock a little off.
DIGITS = 6
STEP = 30
TOLERANCE = 1
DEVICE_NAME = "인증 앱"

MISSING_CODE = gettext_lazy("인증 앱에 보이는 6자리 숫자를 입력하세요.")
WRONG_CODE = gettext_lazy("인증 코드가 맞지 않습니다. 앱에 지금 보이는 6자리 숫자를 입력하세요.")
THROTTLED = gettext_lazy(
    "인증 코드를 여러 번 잘못 입력했습니다. 잠시 기다렸다가 새 코드를 입력하세요."
)
ALREADY_ENROLLED = gettext_lazy("이미 인증 앱이 등록되어 있습니다.")
NOT_ENROLLED = gettext_lazy("등록된 인증 앱이 없습니다.")


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_device(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalise_code(raw: str | None) -> str:
    """The code as typed, without the spaces and hyphens some apps show ("123 456")."""
    return "".join((raw or "").split()).replace("-", "")


def _is_code(code: str) -> bool:
    return len(code) == DIGITS and code.isascii() and code.isdigit()


# --- Enrolment -----------------------------------------------------------------------


def pending_key(request: HttpRequest) -> str:
    """The secret being enrolled in this session (hex), made on first use.

    Kept until enrolment succeeds, so reloading the page shows the same QR code."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[PENDING_KEY_SESSION_KEY] = key
    return key


def config_url(user: AbstractBaseUser, key: str) -> str:
    """The otpauth:// address the QR code carries (issuer: ``OTP_TOTP_ISSUER``)."""
    return TOTPDevice(user=user, key=key, step=STEP, digits=DIGITS).config_url


def manual_key(key: str) -> str:
    """The secret as the apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(data: str, label: str) -> SafeString:
    """An inline SVG QR code of ``data``, labelled for screen readers.

    segno writes no inline style, so the page's Content Security Policy is kept."""
    svg = segno.make(data, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="otp-qr", title=label
    )
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def enrol(user: AbstractBaseUser, key: str, code: str, *, now: datetime) -> TOTPDevice:
    """Store ``key`` as the user's confirmed app once ``code`` proves the app has it.

    Raises ValidationError (a Korean message for the code field) when the code is
    missing or wrong, or when the user already has an app."""
    code = normalise_code(code)
    if not code:
        raise ValidationError(MISSING_CODE, code="missing")
    totp = TOTP(unhexlify(key), STEP, 0, DIGITS, 0)
    totp.time = now.timestamp()
    if not (_is_code(code) and totp.verify(int(code), TOLERANCE)):
        raise ValidationError(WRONG_CODE, code="wrong")
    with transaction.atomic():
        # One app per person, also when two tabs confirm at once.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError(ALREADY_ENROLLED, code="enrolled")
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=DEVICE_NAME,
            key=key,
            step=STEP,
            digits=DIGITS,
            tolerance=TOLERANCE,
            drift=totp.drift,
            # The confirming code cannot be used again to sign in.
            last_t=totp.t(),
            confirmed=True,
        )
    logger.info("mfa: %s enrolled an authenticator app", user.get_username())
    return device


def remove(user: AbstractBaseUser, code: str) -> None:
    """Remove the user's app after a current code from it (ValidationError if not)."""
    device = confirmed_device(user)
    if device is None:
        raise ValidationError(NOT_ENROLLED, code="none")
    verify_code(device, code)
    TOTPDevice.objects.filter(user=user).delete()
    logger.info("mfa: %s removed their authenticator app", user.get_username())


# --- Checking a code -----------------------------------------------------------------


def verify_code(device: TOTPDevice, code: str | None) -> TOTPDevice:
    """The device, updated, if ``code`` is its current code; ValidationError if not.

    django-otp refuses a code already used (replay) and, after each wrong code, makes
    the next check wait 1, 2, 4, … seconds (``OTP_TOTP_THROTTLE_FACTOR``)."""
    code = normalise_code(code)
    if not code:
        raise ValidationError(MISSING_CODE, code="missing")
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(THROTTLED, code="throttled")
    verified = None
    if _is_code(code):
        verified = verify_token(device.user, device.persistent_id, code)
    else:
        device.throttle_increment()
    if verified is None:
        raise ValidationError(WRONG_CODE, code="wrong")
    return verified


def record_failed_code(request: HttpRequest | None, username: str) -> None:
    """Count a refused code as a failed sign-in: django-axes locks the address and user
    name out after ``AXES_FAILURE_LIMIT`` of them, as for wrong passwords."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


# --- The session's state ---------------------------------------------------------------


def signed_in_with(request: HttpRequest, device: TOTPDevice) -> None:
    """This session has given a code of ``device`` (enrolment or removal check)."""
    otp_login(request, device)
    request.session[STATE_SESSION_KEY] = HAS_DEVICE
    request.session.pop(PENDING_KEY_SESSION_KEY, None)


def forget_device(request: HttpRequest) -> None:
    request.session[STATE_SESSION_KEY] = NO_DEVICE
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


def session_state(request: HttpRequest, *, refresh: bool = False) -> str:
    """HAS_DEVICE or NO_DEVICE: whether the signed-in user had an app at sign-in.

    Asked of the database only for sessions from before this state was kept, or when
    ``refresh`` says so."""
    state = request.session.get(STATE_SESSION_KEY)
    if state is None or refresh:
        known = state
        state = HAS_DEVICE if has_confirmed_device(request.user) else NO_DEVICE
        if state != known:
            request.session[STATE_SESSION_KEY] = state
    return state


def remember_state(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: note whether the user has an app (see module doc).

    Runs after django-otp's own receiver, so a code given at sign-in is already in
    the session."""
    if request is None or not hasattr(request, "session"):
        return
    if getattr(user, "otp_device", None) is not None:
        request.session[STATE_SESSION_KEY] = HAS_DEVICE
        return
    request.session[STATE_SESSION_KEY] = HAS_DEVICE if has_confirmed_device(user) else NO_DEVICE


def sign_out_unverified(request: HttpRequest) -> None:
    """End a session that is signed in without the code of the user's app (signed in
    before the app was enrolled elsewhere, or its app was removed)."""
    logger.info("mfa: signed out %s, whose session gave no code", request.user.get_username())
    logout(request)
