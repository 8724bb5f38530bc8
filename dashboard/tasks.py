"""Celery tasks of the dashboard: thin wrappers around the selectors."""

from celery import shared_task
from django.utils import timezone

from . import selectors


@shared_task(ignore_result=True)
def refresh_figures() -> int:
    """Every five minutes: the figures of the named periods, computed ahead and kept, so
    that a manager's dashboard opens without waiting for a year's aggregates."""
    return selectors.refresh_figures(timezone.now())
