"""django-otp's TOTP app under a name the admin index shows in the staff's language."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig


class AuthenticatorAppsConfig(DefaultConfig):
    verbose_name = _("인증 앱 (2단계 로그인)")
