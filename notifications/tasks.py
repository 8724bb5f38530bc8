"""Celery tasks: thin, idempotent wrappers around the services."""

import logging
import time

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache

from . import services

logger = logging.getLogger(__name__)

# The worker writes this cache key every minute and at start; /healthz reads its age.
HEARTBEAT_KEY = "portal:worker-heartbeat"


def _schedule_retry(task, pk: int, countdown: float) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # in-process mode: the re-dispatcher picks the row up when it is due
    try:
        task.apply_async((pk,), countdown=countdown)
    except Exception:
        logger.warning("could not schedule a retry for %s; the re-dispatcher will", pk)


@shared_task(ignore_result=True)
def deliver_sms(message_id: int) -> str:
    outcome = services.deliver_sms_message(message_id)
    if outcome.retry_in is not None:
        _schedule_retry(deliver_sms, message_id, outcome.retry_in)
    return outcome.state


@shared_task(ignore_result=True)
def deliver_email(message_id: int) -> str:
    outcome = services.deliver_email_message(message_id)
    if outcome.retry_in is not None:
        _schedule_retry(deliver_email, message_id, outcome.retry_in)
    return outcome.state


@shared_task(ignore_result=True)
def redispatch_stale() -> int:
    return services.redispatch_stale()


def write_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Tell /healthz that a worker is alive."""
    write_heartbeat()


@worker_ready.connect
def _heartbeat_on_start(**kwargs) -> None:
    try:
        write_heartbeat()
    except Exception:
        logger.warning("could not write the worker heartbeat", exc_info=True)
