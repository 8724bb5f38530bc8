"""With PostgreSQL, a Redis of the test's own and a real worker run as `make worker` runs
it (prefork, gossip, mingle, heartbeats): the worker lives through a Redis drop in the
middle of a send, and nothing is lost or sent twice (O4)."""

import pytest
from django.db import transaction

from notifications import services, tasks
from notifications.models import SmsMessage, Status
from tests.fixtures.celery_worker import app_broker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]

TEMPLATE = "notifications/test"


def _status(message: SmsMessage) -> str:
    return SmsMessage.objects.values_list("status", flat=True).get(pk=message.pk)


def test_O4_worker_survives_a_redis_drop_mid_send(celery_worker, fake_twilio, redis_server):
    fake_twilio.slow_seconds = 3.0  # the provider answers the first send after 3 s
    env = {
        **fake_twilio.env(),
        "CELERY_BROKER_URL": redis_server.url,
        "REDIS_URL": redis_server.url,
    }
    with app_broker(redis_server.url):
        worker = celery_worker(env=env, pool="prefork", concurrency=2, lean=False)
        with transaction.atomic():
            slow = services.send_sms("010-1111-2222", TEMPLATE, {"note": "[slow]"}, "slow")
        wait_for(lambda: fake_twilio.calls[slow.body] == 1, timeout=30, message="the send")

        redis_server.stop()  # Redis goes away while the provider is still answering
        wait_for(
            lambda: "Connection to broker lost" in worker.log(),
            timeout=30,
            message="the worker to notice the lost broker",
        )
        wait_for(lambda: _status(slow) == Status.SENT, timeout=30, message="the slow send")
        redis_server.start()
        wait_for(
            lambda: worker.process.poll() is not None or worker.log().count("Connected to") >= 2,
            timeout=60,
            message="the worker to reconnect",
        )
        assert worker.process.poll() is None, f"the worker died:\n{worker.log()[-4000:]}"
        assert "Unrecoverable error" not in worker.log()

        # It still works, and a second copy of the slow task (what Redis hands out again
        # after the visibility timeout) sends nothing.
        with transaction.atomic():
            after = services.send_sms("010-1111-3333", TEMPLATE, {"note": "after"}, "after")
        tasks.deliver_sms.apply_async((slow.pk,))
        wait_for(lambda: _status(after) == Status.SENT, timeout=60, message="the next message")
        wait_for(lambda: "'skipped'" in worker.log(), timeout=60, message="the second copy")
    assert worker.process.poll() is None
    assert fake_twilio.accepted[slow.body] == 1
    assert fake_twilio.accepted[after.body] == 1
    assert sum(fake_twilio.accepted.values()) == 2
