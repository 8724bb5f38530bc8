"""Celery tasks: thin and idempotent."""

from celery import shared_task
from django.utils import timezone

from . import services

SWEEP_TASK = "reception.tasks.sweep_board"


@shared_task(name=SWEEP_TASK, ignore_result=True)
def sweep_board() -> int:
    """The twice-daily board sweep (M2); running it again routes nothing twice."""
    return services.sweep_board(now=timezone.now()).routed
