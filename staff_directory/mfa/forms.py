"""The code field, the admin's sign-in form that asks for it, and the code forms of the
enrolment and removal pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services


class CodeField(forms.CharField):
    """Six digits from the app: the browser offers a code received by the phone, and
    phones show the number pad. Spaces are allowed ("123 456"), so no ``pattern``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("인증 코드"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("error_messages", {"required": services.MISSING_CODE})
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 10}
            ),
        )
        super().__init__(**kwargs)


class StaffSignInForm(AdminAuthenticationForm):
    """/admin/login/: user name, password and, for staff with an app, its code.

    One form, so that it works without JavaScript and a clerk with an app types
    everything at once. The password is checked first (django-axes counts a wrong
    one); a wrong or missing code is then refused on its own field and counted by
    django-axes as a failed sign-in too, so five of either lock the pair out."""

    otp_token = CodeField(
        required=False,
        help_text=_(
            "인증 앱을 등록한 직원만 입력합니다: 앱에 보이는 6자리 숫자. "
            "등록하지 않았으면 비워 두세요."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        device = services.confirmed_device(user)
        if device is None:
            return cleaned
        try:
            user.otp_device = services.verify_code(device, cleaned.get("otp_token"))
        except ValidationError as refused:
            services.record_failed_code(self.request, cleaned.get("username", ""))
            # Not signed in: LoginView signs in only a valid form's user.
            self.user_cache = None
            self.add_error("otp_token", refused)
        return cleaned


class EnrolForm(forms.Form):
    code = CodeField(help_text=_("앱에 새로 생긴 연천군 민원 포털 항목의 6자리 숫자입니다."))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class RemoveForm(forms.Form):
    code = CodeField(help_text=_("지금 앱에 보이는 6자리 숫자입니다."))
