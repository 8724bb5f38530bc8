"""With PostgreSQL, Redis and real worker processes (O4, M1, P3): a broker outage loses
nothing, a killed worker loses and duplicates nothing, transient errors are retried."""

import time

import pytest
from django.db import transaction

from notifications import services
from notifications.models import SmsMessage, Status
from tests.fixtures.celery_worker import app_broker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]

TEMPLATE = "notifications/test"


def _phone(i: int) -> str:
    return f"010-{2000 + i // 10000:04d}-{i % 10000:04d}"


def _send_batch(prefix: str, count: int) -> list[str]:
    """`count` SMS, each in its own committed transaction; returns their bodies."""
    for i in range(count):
        with transaction.atomic():
            services.send_sms(_phone(i), TEMPLATE, {"note": f"{prefix}-{i}"}, f"{prefix}-{i}")
    return list(SmsMessage.objects.filter(key__startswith=prefix).values_list("body", flat=True))


def _count(prefix: str, status: str) -> int:
    return SmsMessage.objects.filter(key__startswith=prefix, status=status).count()


def test_O4_transient_error_is_retried_and_permanent_fails_once(celery_worker, fake_twilio):
    celery_worker(env={**fake_twilio.env(), "NOTIFICATIONS_RETRY_BASE_SECONDS": "0.2"})
    with transaction.atomic():
        flaky = services.send_sms("010-1111-2222", TEMPLATE, {"note": "[500x2]"}, "flaky")
        bad = services.send_sms("010-1111-3333", TEMPLATE, {"note": "[21211]"}, "bad")
        fine = services.send_sms("010-1111-4444", TEMPLATE, {"note": "fine"}, "fine")
    done = [Status.SENT, Status.FAILED]
    wait_for(
        lambda: SmsMessage.objects.filter(status__in=done).count() == 3,
        timeout=120,
        message="three messages to settle",
    )
    flaky.refresh_from_db()
    bad.refresh_from_db()
    fine.refresh_from_db()
    assert (flaky.status, flaky.attempts) == (Status.SENT, 3)
    assert fake_twilio.calls[flaky.body] == 3
    assert fake_twilio.accepted[flaky.body] == 1
    assert (bad.status, bad.attempts, bad.error_code) == (Status.FAILED, 1, "21211")
    assert bad.error_text() == "전화번호가 올바르지 않습니다."
    assert fake_twilio.calls[bad.body] == 1
    assert fine.status == Status.SENT
    assert fine.provider_id == next(
        m["sid"] for m in fake_twilio.messages if m["body"] == fine.body
    )


def test_O4_broker_outage_loses_nothing(celery_worker, fake_twilio, redis_server):
    """200 notices while the broker is down all persist; once it is back, each is
    delivered exactly once."""
    with app_broker(redis_server.url):
        redis_server.stop()
        started = time.monotonic()
        bodies = _send_batch("outage", 200)
        elapsed = time.monotonic() - started
        assert len(bodies) == 200
        assert _count("outage", Status.QUEUED) == 200
        assert elapsed < 60, f"publishing with the broker down took {elapsed:.1f}s"

        redis_server.start()  # publishing reconnects by itself, no restart needed
        celery_worker(env={**fake_twilio.env(), "CELERY_BROKER_URL": redis_server.url})
        assert services.redispatch_stale(stale_seconds=0) == 200
        wait_for(
            lambda: _count("outage", Status.SENT) == 200,
            timeout=120,
            interval=0.2,
            message="200 messages to be sent after the outage",
        )
    assert {body: fake_twilio.accepted[body] for body in bodies} == dict.fromkeys(bodies, 1)
    assert sum(fake_twilio.accepted.values()) == 200


def test_O4_killed_worker_loses_and_duplicates_nothing(celery_worker, fake_twilio, settings):
    """A worker SIGKILLed in the middle of 500 notices: the next worker sends what was
    still queued, the re-dispatcher recovers what the dead one held, none twice."""
    stale = 10.0
    settings.NOTIFICATIONS_STALE_SECONDS = stale
    env = {**fake_twilio.env(), "NOTIFICATIONS_STALE_SECONDS": str(stale)}
    first = celery_worker(env=env)
    bodies = _send_batch("kill", 500)
    wait_for(
        lambda: _count("kill", Status.SENT) >= 100,
        timeout=120,
        interval=0.02,
        message="the first worker to send 100",
    )
    first.kill()
    assert _count("kill", Status.SENT) < 500, "the worker finished before it could be killed"

    celery_worker(env=env)
    progress = {"sent": -1, "since": time.monotonic()}

    def drained():
        sent = _count("kill", Status.SENT)
        if sent != progress["sent"]:
            progress.update(sent=sent, since=time.monotonic())
        return sent == 500 or time.monotonic() - progress["since"] > stale + 2

    wait_for(drained, timeout=300, interval=0.5, message="the queue to drain")
    stranded = 500 - _count("kill", Status.SENT)
    # Only what the killed worker held (at most its one prefetched task) is left over.
    assert stranded <= 2
    services.redispatch_stale()  # what beat runs every minute
    wait_for(
        lambda: _count("kill", Status.SENT) == 500,
        timeout=60,
        interval=0.2,
        message="the stranded messages to be re-dispatched and sent",
    )
    assert {body: fake_twilio.accepted[body] for body in bodies} == dict.fromkeys(bodies, 1)
    assert sum(fake_twilio.accepted.values()) == 500
