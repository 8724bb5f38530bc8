"""Queueing never raises into the caller and never holds a request long when the broker
is down or hangs (O4, M1): the row stays queued for the re-dispatcher."""

import socket
import threading
import time

import pytest
from django.db import transaction

from notifications import services
from notifications.models import SmsMessage, Status
from tests.fixtures.celery_worker import app_broker, free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hung_broker():
    """A TCP port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def _send_through(url: str, settings, key: str) -> float:
    with app_broker(url) as app:
        app.conf.task_always_eager = False
        settings.CELERY_TASK_ALWAYS_EAGER = False
        started = time.monotonic()
        with transaction.atomic():
            services.send_sms("010-1234-5678", "notifications/test", {}, key)
        return time.monotonic() - started


def test_O4_hung_broker_fails_fast_and_keeps_the_row(settings, hung_broker):
    elapsed = _send_through(hung_broker, settings, "hung")
    assert elapsed < 5, f"the caller waited {elapsed:.1f}s for a hung broker"
    assert SmsMessage.objects.get(key="hung").status == Status.QUEUED


def test_O4_refused_broker_fails_fast_and_keeps_the_row(settings):
    elapsed = _send_through(f"redis://127.0.0.1:{free_port()}/0", settings, "refused")
    assert elapsed < 2
    assert SmsMessage.objects.get(key="refused").status == Status.QUEUED


class _RefusingTask:
    name = "notifications.deliver_sms"

    def __init__(self):
        self.calls = 0

    def apply_async(self, args):
        self.calls += 1
        raise ConnectionRefusedError("broker down")


def test_O4_after_a_failed_publish_the_next_ones_wait_for_the_redispatcher():
    """A broker outage costs one failed publish, not one per filing: the rows stay
    queued and the periodic re-dispatcher sends them when the broker is back."""
    import time

    from notifications import services

    task = _RefusingTask()
    services._enqueue(task, 1)
    services._enqueue(task, 2)
    services._enqueue(task, 3)
    assert task.calls == 1
    services._broker_paused_until = time.monotonic() - 1  # the pause is over
    services._enqueue(task, 4)
    assert task.calls == 2
