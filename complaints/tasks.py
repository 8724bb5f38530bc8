"""Periodic work: thin, idempotent wrappers over the services (C2 overdue, 보완 answer-by
times (L2), progress notices (시행령 제23조, L5))."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, Stage

logger = logging.getLogger(__name__)

BATCH = 500


def _ids(queryset):
    return list(queryset.order_by("id").values_list("id", flat=True)[: BATCH * 20])


def mark_overdue_stages(now) -> int:
    """Flag every stage past due and notify owners, then heads a working day later."""
    done = 0
    pending = Complaint.objects.overdue(now).filter(escalated_at__isnull=True)
    for pk in _ids(pending):
        try:
            done += services.mark_overdue(Complaint(pk=pk), now=now)
        except Exception:
            logger.exception("overdue check failed for complaint %s", pk)
    return done


def expire_holds(now) -> int:
    """보완 requests past their answer-by time: asked once more, then returned (L2)."""
    done = 0
    pending = Complaint.objects.filter(stage=Stage.ON_HOLD, hold_answer_by__lt=now)
    for pk in _ids(pending):
        try:
            done += services.expire_hold(Complaint(pk=pk), now=now)
        except Exception:
            logger.exception("hold expiry failed for complaint %s", pk)
    return done


def send_progress_notices(now) -> int:
    done = 0
    for pk in _ids(Complaint.objects.due_for_progress_notice(now)):
        try:
            done += services.send_progress_notice(Complaint(pk=pk), now=now)
        except Exception:
            logger.exception("progress notice failed for complaint %s", pk)
    return done


@shared_task(name="complaints.mark_overdue")
def mark_overdue() -> int:
    """Every 15 minutes: overdue stages, and 보완 requests past their answer-by time."""
    now = timezone.now()
    return mark_overdue_stages(now) + expire_holds(now)


@shared_task(name="complaints.progress_notices")
def progress_notices() -> int:
    return send_progress_notices(timezone.now())
