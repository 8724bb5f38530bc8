"""A phone field for any app's forms: accepts what people type, cleans
to E.164."""

from django import forms
from django.core.exceptions import ValidationError

from .phones import InvalidPhoneNumber, normalize_phone


class PhoneNumberField(forms.CharField):
    """A text input for a phone number; `cleaned_data` holds the E.164 form."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return normalize_phone(value)
        except InvalidPhoneNumber as exc:
            raise ValidationError(str(exc), code="invalid_phone") from exc
