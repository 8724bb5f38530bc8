"""Celery tasks of the surveys app: thin, idempotent wrappers around the services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True)
def invite_closed_complaints() -> int:
    """Hourly: invite the citizens of newly closed filings (safe to run twice)."""
    return len(services.invite_closed_complaints(timezone.now()))


@shared_task(ignore_result=True)
def send_invitation(invitation_id: int) -> bool:
    """Queue one invitation's SMS (the outbox key makes a retry harmless)."""
    return services.send_invitation(invitation_id)
