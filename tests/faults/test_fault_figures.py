"""Fault figures (issue 18's closing note): tried, accepted, stored, sent, twice and lost
for three faults, with PostgreSQL, a Redis of the test's own, real worker processes and
the fake Twilio endpoint.

- (a) Redis stops while citizens file on the web form, rate limits on: every filing the
  portal accepts must be stored and its receipt SMS sent once after Redis returns.
- (b) a worker is SIGKILLed in the middle of a batch of notices.
- (c) Redis drops while the worker is in the middle of sends.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/pytest -n0 -s tests/faults

prints one line of figures per fault. "accepted" is what the portal said yes to (a
receipt page for a filing, a committed outbox row for a notice); "lost" is accepted but
never sent; "twice" counts extra copies the provider accepted. Each test fails on a loss
or a duplicate; (a) reports, and does not assert, how many filings were refused.
"""

import time
from dataclasses import asdict, dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from notifications import services
from notifications.models import SmsMessage, Status
from tests.complaints.factories import ComplaintTypeFactory
from tests.fixtures.celery_worker import app_broker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]

TEMPLATE = "notifications/test"


@dataclass
class Figures:
    fault: str
    tried: int
    accepted: int
    stored: int
    sent: int
    twice: int
    lost: int


def report(figures: Figures, record_property) -> None:
    record_property("figures", asdict(figures))
    print("\nFIGURES " + " ".join(f"{k}={v}" for k, v in asdict(figures).items()))


def _phone(i: int) -> str:
    return f"010-{3000 + i // 10000:04d}-{i % 10000:04d}"


def _queue(prefix: str, count: int, note: str = "") -> None:
    for i in range(count):
        with transaction.atomic():
            services.send_sms(_phone(i), TEMPLATE, {"note": f"{prefix}-{i}{note}"}, f"{prefix}-{i}")


def _outbox_figures(fault: str, prefix: str, tried: int, fake) -> Figures:
    rows = SmsMessage.objects.filter(key__startswith=prefix)
    bodies = list(rows.values_list("body", flat=True))
    copies = [fake.accepted[body] for body in bodies]
    return Figures(
        fault=fault,
        tried=tried,
        accepted=len(bodies),
        stored=len(bodies),
        sent=rows.filter(status=Status.SENT).count(),
        twice=sum(max(0, n - 1) for n in copies),
        lost=sum(1 for n in copies if n == 0),
    )


def _wait_sent(queryset, count: int, timeout: float) -> None:
    wait_for(
        lambda: queryset.filter(status=Status.SENT).count() >= count,
        timeout=timeout,
        interval=0.5,
        message=f"{count} messages to be sent",
    )


def test_fault_a_redis_outage_during_filings_with_rate_limits_on(
    settings, roads, lead_department, celery_worker, fake_twilio, redis_server, record_property
):
    tried = 30
    settings.RATELIMIT_ENABLE = True
    cache = dict(settings.CACHES["default"])
    settings.CACHES = {"default": {**cache, "LOCATION": redis_server.url}}
    ctype = ComplaintTypeFactory(
        code="fault-road", period_days=7, handling_department=roads, lead_department=lead_department
    )
    url = reverse("complaints:new_form", args=[ctype.code])
    accepted, refused = 0, {}
    with app_broker(redis_server.url):
        redis_server.stop()
        for i in range(tried):
            client = Client(REMOTE_ADDR=f"10.18.{i // 200}.{i % 200 + 1}")
            page = client.get(url)
            token = page.text.split('name="token" value="', 1)[1].split('"', 1)[0]
            response = client.post(
                url,
                {
                    "token": token,
                    "filer_type": "individual",
                    "name": "홍길동",
                    "phone": _phone(i),
                    "address": "경기도 연천군 연천읍 차탄로 1",
                    "lives_in_county": "on",
                    "title": f"도로가 패였습니다 {i}",
                    "content": "연천읍 차탄리 앞 도로에 큰 구멍이 있습니다.",
                    "sms_consent": "on",
                },
            )
            if response.status_code == 302 and "/complaints/receipt/" in response["Location"]:
                accepted += 1
            else:
                refused[response.status_code] = refused.get(response.status_code, 0) + 1
        stored = Complaint.objects.filter(complaint_type=ctype).count()
        redis_server.start()
        celery_worker(env={**fake_twilio.env(), "CELERY_BROKER_URL": redis_server.url})
        services.redispatch_stale(stale_seconds=0)
        receipts = SmsMessage.objects.filter(template="complaints/receipt")
        _wait_sent(receipts, stored, timeout=120)
    bodies = list(receipts.values_list("body", flat=True))
    copies = [fake_twilio.accepted[body] for body in bodies]
    figures = Figures(
        fault="(a) Redis stopped during filings, rate limits on",
        tried=tried,
        accepted=accepted,
        stored=stored,
        sent=sum(1 for n in copies if n),
        twice=sum(max(0, n - 1) for n in copies),
        lost=accepted - sum(1 for n in copies if n),
    )
    report(figures, record_property)
    print(f"refused by status: {refused}")
    assert accepted == stored == tried, f"refused by status: {refused}"
    assert figures.lost == 0 and figures.twice == 0


def test_fault_b_worker_killed_mid_batch(celery_worker, fake_twilio, settings, record_property):
    tried, stale = 300, 10.0
    settings.NOTIFICATIONS_STALE_SECONDS = stale
    env = {**fake_twilio.env(), "NOTIFICATIONS_STALE_SECONDS": str(stale)}
    first = celery_worker(env=env)
    _queue("kill", tried)
    rows = SmsMessage.objects.filter(key__startswith="kill")
    wait_for(lambda: rows.filter(status=Status.SENT).count() >= 60, timeout=120, interval=0.02)
    first.kill()
    celery_worker(env=env)
    time.sleep(stale + 1)  # what the killed worker held becomes stale
    services.redispatch_stale()  # what beat runs every minute
    _wait_sent(rows, tried, timeout=300)
    figures = _outbox_figures("(b) worker SIGKILLed mid-batch", "kill", tried, fake_twilio)
    report(figures, record_property)
    assert (figures.sent, figures.twice, figures.lost) == (tried, 0, 0)


def test_fault_c_redis_drop_mid_send(celery_worker, fake_twilio, redis_server, record_property):
    tried = 20
    fake_twilio.slow_seconds = 2.0
    env = {
        **fake_twilio.env(),
        "CELERY_BROKER_URL": redis_server.url,
        "REDIS_URL": redis_server.url,
    }
    with app_broker(redis_server.url):
        worker = celery_worker(env=env, pool="prefork", concurrency=2, lean=False)
        _queue("drop", tried, note=" [slow]")  # every first send answers after 2 s
        wait_for(lambda: sum(fake_twilio.calls.values()) >= 2, timeout=30, message="sends")
        redis_server.stop()
        time.sleep(3)
        redis_server.start()
        wait_for(
            lambda: worker.process.poll() is not None or worker.log().count("Connected to") >= 2,
            timeout=60,
            message="the worker to reconnect",
        )
        assert worker.process.poll() is None, f"the worker died:\n{worker.log()[-3000:]}"
        services.redispatch_stale(stale_seconds=0)  # the prefetched tasks Redis kept
        rows = SmsMessage.objects.filter(key__startswith="drop")
        _wait_sent(rows, tried, timeout=180)
    figures = _outbox_figures("(c) Redis dropped mid-send", "drop", tried, fake_twilio)
    report(figures, record_property)
    assert worker.process.poll() is None
    assert (figures.sent, figures.twice, figures.lost) == (tried, 0, 0)
