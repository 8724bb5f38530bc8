"""Claiming, retries, the re-dispatcher and the admin's retry (O4, M1, P3: nothing waits
forever, nothing is sent twice)."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications import services, tasks
from notifications.backends import TransientSmsError, locmem
from notifications.backends.locmem import LocmemBackend
from notifications.models import EmailMessage, SmsMessage, Status
from notifications.tasks import HEARTBEAT_KEY

pytestmark = pytest.mark.django_db


def _row(key="r1", **fields) -> SmsMessage:
    return SmsMessage.objects.create(
        key=key, to="+821012345678", body="본문 " + key, template="t", **fields
    )


def test_claim_is_exclusive():
    row = _row()
    now = timezone.now()
    assert services.claim(SmsMessage, row.pk, now) is not None
    assert services.claim(SmsMessage, row.pk, now) is None
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == (Status.SENDING, 1, now)


def test_claim_takes_a_stale_sending_row_only(settings):
    settings.NOTIFICATIONS_STALE_SECONDS = 60
    now = timezone.now()
    row = _row(status=Status.SENDING, claimed_at=now - timedelta(seconds=30), attempts=1)
    assert services.claim(SmsMessage, row.pk, now) is None
    assert services.claim(SmsMessage, row.pk, now + timedelta(seconds=31)) is not None


def test_sent_and_not_due_rows_are_not_claimed():
    now = timezone.now()
    sent = _row("sent", status=Status.SENT)
    later = _row("later", next_attempt_at=now + timedelta(minutes=1))
    assert services.claim(SmsMessage, sent.pk, now) is None
    assert services.claim(SmsMessage, later.pk, now) is None
    assert services.claim(SmsMessage, 999_999, now) is None


def test_redelivered_task_for_a_sent_row_does_nothing():
    row = _row()
    assert tasks.deliver_sms(row.pk) == "sent"
    assert tasks.deliver_sms(row.pk) == "skipped"
    assert len(locmem.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


def test_attempts_are_limited(settings, monkeypatch):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3

    def down(self, message):
        raise TransientSmsError("503", "server")

    monkeypatch.setattr(LocmemBackend, "send", down)
    row = _row()
    now = timezone.now()
    states = []
    for _ in range(3):
        states.append(services.deliver_sms_message(row.pk, now=now).state)
        now += timedelta(days=1)
    assert states == ["retry", "retry", "failed"]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error_code) == (Status.FAILED, 3, "server")


def test_backoff_grows_and_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 10
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 100
    assert 5 <= services.backoff_seconds(1) <= 15
    assert 10 <= services.backoff_seconds(2) <= 30
    assert 50 <= services.backoff_seconds(10) <= 150


def test_killed_worker_row_is_checked_with_the_provider_before_resending(settings):
    """A worker died after the provider accepted but before the row was marked."""
    settings.NOTIFICATIONS_STALE_SECONDS = 60
    row = _row()
    provider_id = LocmemBackend().send(row)  # the provider accepted …
    long_ago = timezone.now() - timedelta(minutes=5)
    SmsMessage.objects.filter(pk=row.pk).update(
        status=Status.SENDING, claimed_at=long_ago, attempts=1
    )  # … and the worker was killed before recording it.
    assert services.redispatch_stale() == 1
    row.refresh_from_db()
    assert (row.status, row.provider_id, row.attempts) == (Status.SENT, provider_id, 2)
    assert len(locmem.outbox) == 1


def test_redispatch_picks_only_stale_rows(settings):
    settings.NOTIFICATIONS_STALE_SECONDS = 60
    now = timezone.now()
    fresh = _row("fresh")
    old = _row("old", next_attempt_at=now - timedelta(minutes=2))
    waiting = _row("waiting", next_attempt_at=now + timedelta(minutes=2))
    email = EmailMessage.objects.create(
        key="mail",
        to="a@example.kr",
        subject="s",
        body="b",
        template="t",
        next_attempt_at=now - timedelta(minutes=2),
    )
    assert services.redispatch_stale(now=now) == 2
    statuses = dict(SmsMessage.objects.values_list("key", "status"))
    assert statuses == {"fresh": "queued", "old": "sent", "waiting": "queued"}
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert fresh.pk and waiting.pk and old.pk


def test_redispatch_task_and_schedules_exist():
    assert tasks.redispatch_stale() == 0
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"notifications.tasks.redispatch_stale", "notifications.tasks.heartbeat"} <= names
    task = PeriodicTask.objects.get(task="notifications.tasks.redispatch_stale")
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_heartbeat_writes_the_cache_key():
    cache.delete(HEARTBEAT_KEY)
    tasks.heartbeat()
    assert abs(float(cache.get(HEARTBEAT_KEY)) - time.time()) < 60
    cache.delete(HEARTBEAT_KEY)
    tasks._heartbeat_on_start(sender=None)
    assert cache.get(HEARTBEAT_KEY) is not None


def test_retry_failed_queues_again(django_capture_on_commit_callbacks):
    failed = _row("failed", status=Status.FAILED, attempts=6, error_code="server")
    sent = _row("sent", status=Status.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_failed([failed.pk, sent.pk]) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error_code) == (Status.SENT, 1, "")
    assert [m["key"] for m in locmem.outbox] == ["failed"]


def test_error_text_is_korean():
    row = _row(error_code="21211")
    assert row.error_text() == "전화번호가 올바르지 않습니다."
    assert _row("x", error_code="99999").error_text() == "알 수 없는 오류가 발생했습니다."
    assert _row("y").error_text() == ""
