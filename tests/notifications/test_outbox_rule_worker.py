"""The outbox rule with PostgreSQL, a Redis of the test's own and a real worker: every
notice template, caused while the broker is down, is a committed row at once and is sent
exactly once after the broker returns (O4, M1)."""

import re

import pytest
from django.db import transaction

from notifications import services
from notifications.models import EmailMessage, SmsMessage, Status
from tests.fixtures.celery_worker import app_broker, wait_for
from tests.notifications.notice_scenarios import SCENARIOS

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


def test_O4_every_notice_survives_a_broker_outage_and_is_sent_once(
    request, celery_worker, fake_twilio, redis_server
):
    with app_broker(redis_server.url):
        redis_server.stop()
        for scenario in SCENARIOS:
            state = scenario.prepare(request.getfixturevalue)
            with transaction.atomic():
                scenario.act(state)
            for kind, template in scenario.sends:
                model = SmsMessage if kind == "sms" else EmailMessage
                assert model.objects.filter(template=template).exists(), (scenario.name, template)
        sms = SmsMessage.objects.count()
        emails = EmailMessage.objects.count()
        assert SmsMessage.objects.filter(status=Status.QUEUED).count() == sms
        assert EmailMessage.objects.filter(status=Status.QUEUED).count() == emails

        redis_server.start()
        env = {**fake_twilio.env(), "CELERY_BROKER_URL": redis_server.url}
        worker = celery_worker(env=env)  # e-mail: Django's console backend, into the log
        assert services.redispatch_stale(stale_seconds=0) == sms + emails
        wait_for(
            lambda: (
                SmsMessage.objects.filter(status=Status.SENT).count() == sms
                and EmailMessage.objects.filter(status=Status.SENT).count() == emails
            ),
            timeout=180,
            interval=0.5,
            message=f"{sms} SMS and {emails} e-mails to be sent",
        )
    bodies = list(SmsMessage.objects.values_list("body", flat=True))
    assert {body: fake_twilio.accepted[body] for body in bodies} == {
        body: bodies.count(body) for body in bodies
    }
    assert sum(fake_twilio.accepted.values()) == sms
    log = re.sub(r"\n[ \t]+", " ", worker.log())  # unfold long headers
    for key in EmailMessage.objects.values_list("key", flat=True):
        sent = re.findall(rf"^X-Portal-Message-Key:\s+{re.escape(key)}$", log, re.MULTILINE)
        assert len(sent) == 1, key
