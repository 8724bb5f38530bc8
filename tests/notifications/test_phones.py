"""Phone numbers are checked at the call and stored as E.164 (O4)."""

import pytest
from django import forms

from notifications.forms import PhoneNumberField, require_mobile_for_sms
from notifications.phones import InvalidPhoneNumber, is_mobile, mask_phone, normalize_phone


@pytest.mark.parametrize(
    "raw",
    ["010-1234-5678", "01012345678", "010 1234 5678", "+82 10-1234-5678", "+821012345678"],
)
def test_O4_korean_mobile_numbers_become_e164(raw):
    assert normalize_phone(raw) == "+821012345678"


def test_landline_and_foreign_numbers_are_kept():
    assert normalize_phone("031-839-2114") == "+82318392114"
    assert normalize_phone("+1 415 555 2671") == "+14155552671"


@pytest.mark.parametrize("raw", ["", "   ", "abc", "010-12", "1234567890123456789012", "x" * 100])
def test_O4_invalid_numbers_are_refused_with_a_korean_message(raw):
    with pytest.raises(InvalidPhoneNumber) as info:
        normalize_phone(raw)
    assert isinstance(info.value, ValueError)
    assert "010-1234-5678" in str(info.value)
    assert "전화번호" in str(info.value)


def test_mask_phone_hides_the_middle():
    assert mask_phone("+821012345678") == "010-****-5678"
    assert mask_phone("+82318392114") == "031-***-2114"
    assert mask_phone("garbage") == "***"
    assert "2671" in mask_phone("+14155552671")
    assert "555" not in mask_phone("+14155552671").replace("2671", "")


class _Form(forms.Form):
    phone = PhoneNumberField(label="전화번호")


def test_phone_field_cleans_to_e164():
    form = _Form(data={"phone": "010-1234-5678"})
    assert form.is_valid()
    assert form.cleaned_data["phone"] == "+821012345678"


def test_phone_field_rejects_with_the_message():
    form = _Form(data={"phone": "12"})
    assert not form.is_valid()
    assert "전화번호 형식이 올바르지 않습니다" in form.errors["phone"][0]


class _ConsentForm(forms.Form):
    phone = PhoneNumberField(label="전화번호", required=False)
    sms_consent = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        require_mobile_for_sms(self)
        return cleaned


@pytest.mark.parametrize(
    ("raw", "mobile"),
    [("010-1234-5678", True), ("031-839-2114", False), ("02-123-4567", False)],
)
def test_O4_mobile_numbers_are_told_apart_from_landlines(raw, mobile):
    assert is_mobile(normalize_phone(raw)) is mobile


def test_O4_a_landline_with_sms_consent_is_refused_on_the_phone_field():
    form = _ConsentForm(data={"phone": "031-839-2114", "sms_consent": "on"})
    assert not form.is_valid()
    assert "휴대전화 번호" in form.errors["phone"][0]
    # Without the wish for text messages, a landline is a fine number to call back.
    assert _ConsentForm(data={"phone": "031-839-2114"}).is_valid()
    assert _ConsentForm(data={"phone": "010-1234-5678", "sms_consent": "on"}).is_valid()


def test_O4_a_mobile_only_field_refuses_a_landline():
    class MobileForm(forms.Form):
        phone = PhoneNumberField(label="휴대전화", mobile_only=True)

    form = MobileForm(data={"phone": "031-839-2114"})
    assert not form.is_valid()
    assert "휴대전화 번호" in form.errors["phone"][0]
    assert MobileForm(data={"phone": "010-1234-5678"}).is_valid()


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+821012345678", "010-1234-5678"),
        ("+82318392000", "031-839-2000"),
        ("+12025550123", "+1 202-555-0123"),
        ("not a number", "not a number"),
    ],
)
def test_a_stored_number_is_shown_the_way_it_is_dialled(stored, shown):
    from notifications.phones import display_phone

    assert display_phone(stored) == shown
