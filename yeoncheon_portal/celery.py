"""The Celery application: Redis broker, JSON only, acknowledged after the work is done."""

import os

import redis
from celery import Celery
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yeoncheon_portal.settings")


def _closed_transport_is_a_connection_error() -> None:
    """Keep the worker alive when Redis drops while a task runs (celery 5.7, kombu 5.7).

    On a lost connection the consumer first `collect()`s the broker connection, which
    drops the transport's link to its connection (`transport.client = None`), and then
    `close()`s it. The second close closes the default channel again, and that channel
    tries to put the running task's unacknowledged message back, which needs
    `transport.client.hostname`: an AttributeError. It is not one of the transport's
    connection errors, so nothing catches it and the worker stops with "Unrecoverable
    error: AttributeError('NoneType' object has no attribute 'hostname')".

    Raised as redis-py's ConnectionError instead, it is ignored like every other error of
    a lost connection and the consumer reconnects. The message stays in Redis's unacked
    set and comes back after the visibility timeout; the outbox claim makes that copy
    harmless, and the re-dispatcher covers anything that was only prefetched.
    """
    connparams = kombu_redis.Channel._connparams
    if getattr(connparams, "checks_closed_transport", False):
        return

    def checked(self, asynchronous=False):
        if self.connection.client is None:
            raise redis.exceptions.ConnectionError("the broker connection is closed")
        return connparams(self, asynchronous=asynchronous)

    checked.checks_closed_transport = True  # type: ignore[attr-defined]
    kombu_redis.Channel._connparams = checked  # type: ignore[method-assign]


_closed_transport_is_a_connection_error()

app = Celery("yeoncheon_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
