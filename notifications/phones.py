"""Phone numbers: parsed with `phonenumbers`, stored as E.164, shown masked."""

import phonenumbers
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "KR"


class InvalidPhoneNumber(ValueError):
    """A number that cannot be a phone number; the message is for the citizen."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("전화번호 형식이 올바르지 않습니다. 예: 010-1234-5678")))


def normalize_phone(raw: str, region: str | None = None) -> str:
    """Return `raw` as E.164 (`010-1234-5678` → `+821012345678`) or raise
    InvalidPhoneNumber. Numbers without a country code are read as Korean."""
    region = region or DEFAULT_REGION
    text = (raw or "").strip()
    if not text or len(text) > 40:
        raise InvalidPhoneNumber()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber() from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Whether a stored number can receive text messages (a mobile, not a landline)."""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }


def _parsed(raw: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None


def _shown(number: phonenumbers.PhoneNumber) -> str:
    """Korean numbers the way they are dialled at home, others in international form."""
    form = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 82
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, form)


def display_phone(raw: str) -> str:
    """`+821012345678` → `010-1234-5678`, the way a clerk dials it; a number that cannot be
    read is shown as it was written."""
    number = _parsed(raw)
    return _shown(number) if number is not None else raw


def international_phone(raw: str) -> str:
    """`031-123-4567` → `+82 31-123-4567`, for a reader abroad."""
    number = _parsed(raw)
    if number is None:
        return raw
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_uri(raw: str) -> str:
    """`031-123-4567` → `tel:+82311234567`, for a link a phone can dial."""
    number = _parsed(raw)
    if number is None:
        return "tel:" + "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """`+821012345678` → `010-****-5678`: enough for a clerk to recognise, no more."""
    number = _parsed(e164)
    if number is None:
        return "***"
    national = _shown(number)
    parts = national.replace(" ", "-").split("-")
    if len(parts) >= 3:
        parts[1:-1] = ["*" * len(p) for p in parts[1:-1]]
        return "-".join(parts)
    digits = "".join(ch for ch in national if ch.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]
