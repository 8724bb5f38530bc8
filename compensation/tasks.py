"""Celery tasks of the compensation app: thin, idempotent wrappers around the services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True)
def propose_automatic_payouts() -> int:
    """Hourly: propose R3 and R5 payouts the recorded facts owe (safe to run twice)."""
    return services.propose_automatic_payouts(timezone.now())
