"""The outbox (O4, M1, P3): a row in the caller's transaction, delivery on commit, one
message per idempotency key."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from notifications import services
from notifications.backends import locmem
from notifications.models import EmailMessage, SmsMessage, Status
from notifications.phones import InvalidPhoneNumber

pytestmark = pytest.mark.django_db


def test_O4_send_sms_writes_a_row_and_delivers_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.send_sms("010-1234-5678", "notifications/test", {"note": "A&B"}, "k1")
        assert locmem.outbox == []  # nothing goes out before the commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.to == "+821012345678"
    assert message.body == "[연천군] 알림 시험 문자입니다. A&B"  # no HTML escaping in SMS
    assert message.status == Status.SENT
    assert message.attempts == 1
    assert message.provider_id.startswith("SM")
    assert (message.encoding, message.segments, message.is_long) == ("UCS-2", 1, False)
    assert [m["to"] for m in locmem.outbox] == ["+821012345678"]


def test_O4_same_key_twice_is_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = services.send_sms("010-1234-5678", "notifications/test", {"note": "1"}, "same")
        second = services.send_sms("010-9999-8888", "notifications/test", {"note": "2"}, "same")
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert SmsMessage.objects.count() == 1
    assert len(locmem.outbox) == 1


def test_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.send_sms("010-1234-5678", "notifications/test", {}, "rolled-back")
        raise RuntimeError("caller failed")
    assert callbacks == []
    assert not SmsMessage.objects.exists()
    assert locmem.outbox == []


def test_O4_invalid_number_is_refused_at_the_call():
    with pytest.raises(InvalidPhoneNumber):
        services.send_sms("123", "notifications/test", {}, "bad-number")
    assert not SmsMessage.objects.exists()


def test_key_is_required():
    with pytest.raises(ValueError):
        services.send_sms("010-1234-5678", "notifications/test", {}, "")


def test_too_long_text_is_refused(settings, tmp_path):
    (tmp_path / "sms").mkdir()
    (tmp_path / "sms" / "long.txt").write_text("가" * 1601)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with pytest.raises(ValueError):
        services.send_sms("010-1234-5678", "long", {}, "too-long")


def test_long_korean_text_is_marked_long(settings, tmp_path, django_capture_on_commit_callbacks):
    (tmp_path / "sms").mkdir()
    (tmp_path / "sms" / "long.txt").write_text("가" * 200)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_sms("010-1234-5678", "long", {}, "long")
    assert (message.segments, message.is_long) == (3, True)


def test_sms_is_rendered_in_the_active_language(django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        message = services.send_sms("010-1234-5678", "notifications/test", {"note": "x"}, "en")
    assert message.language == "en"
    assert message.body.startswith("[Yeoncheon]")
    assert message.encoding == "GSM-7"


def test_M1_send_email_renders_subject_text_and_html(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_email(
            "clerk@example.kr", "notifications/test", {"note": "<b>"}, "e1"
        )
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "[연천군] 알림 시험 메일"
    assert sent.to == ["clerk@example.kr"]
    assert "<b>" in sent.body
    html = sent.alternatives[0][0]
    assert "&lt;b&gt;" in html and "<html" in html


def test_email_same_key_is_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = services.send_email("clerk@example.kr", "notifications/test", {}, "e2")
        b = services.send_email("clerk@example.kr", "notifications/test", {}, "e2")
    assert a.pk == b.pk
    assert EmailMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_invalid_email_is_refused():
    with pytest.raises(services.InvalidEmailAddress):
        services.send_email("not-an-address", "notifications/test", {}, "e3")


def test_enqueue_failure_never_reaches_the_caller(monkeypatch, django_capture_on_commit_callbacks):
    """A broker outage at publish time leaves the row queued for the re-dispatcher."""
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.deliver_sms, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_sms("010-1234-5678", "notifications/test", {}, "outage")
    message.refresh_from_db()
    assert message.status == Status.QUEUED
