"""The Twilio status callback (O4): signature checked, status only moves forward."""

import pytest
from twilio.request_validator import RequestValidator

from notifications.models import SmsMessage, Status

pytestmark = pytest.mark.django_db

URL = "/notifications/twilio/status/"
PUBLIC = "https://minwon.example.kr/notifications/twilio/status/"
TOKEN = "webhook-token"


@pytest.fixture
def signed(settings, client):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_STATUS_CALLBACK_URL = PUBLIC

    def post(params, url=PUBLIC):
        signature = RequestValidator(TOKEN).compute_signature(url, params)
        return client.post(URL, params, HTTP_X_TWILIO_SIGNATURE=signature)

    return post


@pytest.fixture
def row():
    return SmsMessage.objects.create(
        key="w",
        to="+821012345678",
        body="b",
        template="t",
        status=Status.SENT,
        provider_id="SM123",
    )


def test_O4_good_signature_updates_the_row(signed, row):
    response = signed({"MessageSid": "SM123", "MessageStatus": "delivered"})
    assert response.status_code == 204
    row.refresh_from_db()
    assert (row.status, row.provider_status) == (Status.DELIVERED, "delivered")


def test_bad_signature_is_refused(signed, client, row):
    response = client.post(
        URL,
        {"MessageSid": "SM123", "MessageStatus": "delivered"},
        HTTP_X_TWILIO_SIGNATURE="bm90IGEgc2lnbmF0dXJl",
    )
    assert response.status_code == 403
    assert client.post(URL, {"MessageSid": "SM123"}).status_code == 403
    # Signed for another URL: refused too.
    assert signed({"MessageSid": "SM123"}, url="https://evil.example/").status_code == 403
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_request_url_is_used_when_no_public_url_is_set(signed, settings, row):
    settings.TWILIO_STATUS_CALLBACK_URL = ""
    params = {"MessageSid": "SM123", "MessageStatus": "delivered"}
    assert signed(params, url="http://testserver" + URL).status_code == 204
    row.refresh_from_db()
    assert row.status == Status.DELIVERED


def test_status_never_moves_backwards(signed, row):
    for status in ["delivered", "sent", "queued", "undelivered", "delivered"]:
        assert signed({"MessageSid": "SM123", "MessageStatus": status}).status_code == 204
    row.refresh_from_db()
    assert row.status == Status.DELIVERED


def test_undelivered_records_the_error(signed, row):
    signed({"MessageSid": "SM123", "MessageStatus": "undelivered", "ErrorCode": "30003"})
    row.refresh_from_db()
    assert (row.status, row.error_code) == (Status.UNDELIVERED, "undelivered")
    assert "30003" in row.error_message
    assert row.error_text()


def test_unknown_sid_and_garbage_answer_quickly(signed, client):
    assert signed({"MessageSid": "SMnope", "MessageStatus": "delivered"}).status_code == 204
    assert signed({"MessageStatus": "whatever"}).status_code == 204
    assert signed({}).status_code == 204
    assert client.get(URL).status_code == 405
