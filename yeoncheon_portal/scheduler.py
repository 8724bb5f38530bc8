"""The scheduled jobs of the embedded run (`make run`), without Celery beat or Redis.

Beat reads its schedule from django-celery-beat's rows (board sweep, survey invitations,
overdue marks and escalations, progress notices, the outbox re-dispatcher, payouts, the
dashboard's figures); `tick` reads the same rows and runs each job that is due in this
process, as the eager task it already is when no REDIS_URL is set. Each job runs once at
the first tick (a newcomer sees the board routed and the surveys sent at once), then on
its schedule.
With services (REDIS_URL), beat and the worker do this and the scheduler is not started.
"""

from __future__ import annotations

import datetime
import json
import logging
import threading

from django.db import close_old_connections
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from yeoncheon_portal.celery import app

logger = logging.getLogger(__name__)

#: How often the embedded scheduler looks for due jobs; beat's own default is 5 s, and no
#: schedule of the portal is finer than a minute.
TICK_SECONDS = 30


def _is_due(entry: PeriodicTask, now: datetime.datetime) -> bool:
    if entry.last_run_at is None:
        return True
    schedule = entry.schedule
    schedule.nowfun = lambda: now
    due, _next_in = schedule.is_due(entry.last_run_at)
    return bool(due)


def tick(now: datetime.datetime) -> list[str]:
    """Run every enabled job that is due at `now`; returns their task names. A job that
    fails is logged and tried again at its next time, like beat's."""
    app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
    ran = []
    for entry in PeriodicTask.objects.filter(enabled=True).order_by("id"):
        if entry.task not in app.tasks:
            logger.warning("scheduled job %s: no task named %s", entry.name, entry.task)
            continue
        if not _is_due(entry, now):
            continue
        PeriodicTask.objects.filter(pk=entry.pk).update(
            last_run_at=now, total_run_count=entry.total_run_count + 1
        )
        result = app.tasks[entry.task].apply(
            args=json.loads(entry.args or "[]"), kwargs=json.loads(entry.kwargs or "{}")
        )
        if result.failed():
            logger.error("scheduled job %s failed: %r", entry.task, result.result)
        ran.append(entry.task)
    return ran


def run_forever(stop: threading.Event, interval: float = TICK_SECONDS) -> None:
    """The scheduler thread of `manage.py runportal`: a tick, then a wait, until `stop`."""
    while not stop.is_set():
        close_old_connections()
        try:
            ran = tick(timezone.now())
        except Exception:  # the portal keeps serving; the next tick tries again
            logger.exception("scheduler tick failed")
        else:
            if ran:
                logger.info("scheduled jobs ran: %s", ", ".join(ran))
        finally:
            close_old_connections()
        stop.wait(interval)


def start() -> threading.Event:
    """Start the scheduler thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(stop,), name="scheduler", daemon=True).start()
    return stop
