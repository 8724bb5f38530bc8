"""A phone field for any app's forms: accepts what people type, cleans
to E.164."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .phones import InvalidPhoneNumber, is_mobile, normalize_phone

NOT_MOBILE = _(
    "문자를 받으려면 휴대전화 번호를 적어 주세요. 일반 전화로는 문자를 보낼 수 없습니다."
)


class PhoneNumberField(forms.CharField):
    """A text input for a phone number; `cleaned_data` holds the E.164 form."""

    def __init__(self, *, mobile_only: bool = False, **kwargs) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.mobile_only = mobile_only
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            number = normalize_phone(value)
        except InvalidPhoneNumber as exc:
            raise ValidationError(str(exc), code="invalid_phone") from exc
        if self.mobile_only and not is_mobile(number):
            raise ValidationError(NOT_MOBILE, code="not_mobile")
        return number


def require_mobile_for_sms(form, phone: str = "phone", consent: str = "sms_consent") -> None:
    """Text messages go to mobile numbers only: with the wish for them ticked, a landline
    is refused on the phone field (a call-back number may still be a landline)."""
    number = form.cleaned_data.get(phone)
    if form.cleaned_data.get(consent) and number and not is_mobile(number):
        form.add_error(phone, ValidationError(NOT_MOBILE, code="not_mobile"))
