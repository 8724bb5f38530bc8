"""The twilio backend through the real SDK against a fake endpoint on 127.0.0.1 (O4):
success, permanent errors, transient errors, timeouts."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.backends import PermanentSmsError, TransientSmsError, get_backend
from notifications.backends.twilio import PortalHttpClient
from notifications.models import SmsMessage, Status

pytestmark = pytest.mark.django_db


def _row(body: str, to: str = "+821012345678", key: str | None = None) -> SmsMessage:
    return SmsMessage.objects.create(key=key or body, to=to, body=body, template="t", segments=1)


def test_http_client_rewrites_the_base_url():
    client = PortalHttpClient(base_url="http://127.0.0.1:9/", timeout=2)
    assert client.base_url == "http://127.0.0.1:9"
    assert client.timeout == 2


def test_O4_accepted_message_records_the_sid(twilio_settings):
    row = _row("안녕하세요")
    assert services.deliver_sms_message(row.pk).state == "sent"
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.provider_id.startswith("SM")
    assert twilio_settings.accepted["안녕하세요"] == 1
    sent = twilio_settings.messages[0]
    assert sent["to"] == "+821012345678"
    assert sent["from"] == "+15005550006"
    assert sent["status_callback"].endswith("/notifications/twilio/status/")


def test_messaging_service_sid_is_used_when_set(twilio_settings, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    row = _row("via service")
    services.deliver_sms_message(row.pk)
    assert twilio_settings.messages[0]["messaging_service_sid"] == "MG" + "1" * 32


@pytest.mark.parametrize("code", [21211, 21610, 21614])
def test_O4_permanent_errors_fail_at_once(twilio_settings, code):
    row = _row(f"bad [{code}]")
    with pytest.raises(PermanentSmsError) as info:
        get_backend().send(row)
    assert info.value.code == str(code)
    assert services.deliver_sms_message(row.pk).state == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error_code) == (Status.FAILED, 1, str(code))
    assert row.error_text()
    assert twilio_settings.calls[f"bad [{code}]"] == 2  # the direct call and one delivery


def test_server_error_is_transient_and_retried_with_backoff(twilio_settings, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 10
    body = "flaky [500x1]"
    row = _row(body)
    before = timezone.now()
    outcome = services.deliver_sms_message(row.pk)
    assert outcome.state == "retry"
    assert 5 <= outcome.retry_in <= 15
    row.refresh_from_db()
    assert (row.status, row.error_code, row.attempts) == (Status.QUEUED, "server", 1)
    assert row.next_attempt_at > before + timedelta(seconds=4)
    # Not due yet: a duplicate task does nothing.
    assert services.deliver_sms_message(row.pk).state == "skipped"
    later = row.next_attempt_at + timedelta(seconds=1)
    assert services.deliver_sms_message(row.pk, now=later).state == "sent"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error_code) == (Status.SENT, 2, "")
    assert twilio_settings.calls[body] == 2
    assert twilio_settings.accepted[body] == 1


def test_rate_limit_is_transient(twilio_settings):
    row = _row("busy [429x1]")
    with pytest.raises(TransientSmsError) as info:
        get_backend().send(row)
    assert info.value.code == "20429"


def test_other_4xx_is_permanent(twilio_settings, settings):
    settings.TWILIO_ACCOUNT_SID = "ACwrong"
    row = _row("wrong account")
    with pytest.raises(PermanentSmsError) as info:
        get_backend().send(row)
    assert info.value.code == "20003"


def test_connection_refused_is_transient(twilio_settings, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.TWILIO_API_BASE_URL = f"http://127.0.0.1:{port}"
    row = _row("nobody listens")
    assert services.deliver_sms_message(row.pk).state == "retry"
    row.refresh_from_db()
    assert row.error_code == "connection"


def test_timeout_then_the_provider_is_asked_before_sending_again(twilio_settings, settings):
    """A read timeout leaves the outcome unknown: the next attempt finds the message the
    provider accepted and records it instead of sending a duplicate."""
    settings.TWILIO_TIMEOUT_SECONDS = 0.5
    body = "late answer [slow]"
    row = _row(body)
    outcome = services.deliver_sms_message(row.pk)
    assert outcome.state == "retry"
    row.refresh_from_db()
    assert (row.error_code, row.attempts, row.completed_attempts) == ("timeout", 1, 0)
    later = row.next_attempt_at + timedelta(seconds=1)
    assert services.deliver_sms_message(row.pk, now=later).state == "sent"
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.provider_id == twilio_settings.messages[0]["sid"]
    assert twilio_settings.calls[body] == 1
    assert twilio_settings.accepted[body] == 1
