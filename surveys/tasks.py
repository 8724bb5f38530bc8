"""Celery tasks of the surveys app: thin, idempotent wrappers around the services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True)
def invite_closed_complaints() -> int:
    """Hourly: invite the citizens of newly closed filings (safe to run twice)."""
    return len(services.invite_closed_complaints(timezone.now()))
