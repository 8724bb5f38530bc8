"""Complaint querysets, each named for the screen or job that uses it."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q

# Paper filings whose owner must hear of them within an hour (M1).
M1_LIMIT_MINUTES = 60


class ComplaintQuerySet(models.QuerySet):
    def _stages(self):
        from complaints.models.complaint import OPEN_STAGES, Stage

        return OPEN_STAGES, Stage

    def open(self):
        open_stages, _stage = self._stages()
        return self.filter(stage__in=open_stages)

    def running(self):
        """Open and with the clock running (not waiting for the citizen)."""
        open_stages, stage = self._stages()
        return self.filter(stage__in=open_stages - {stage.ON_HOLD})

    def overdue(self, now):
        """Stages whose due time has passed: flagged in every list, escalated by a task."""
        return self.running().filter(stage_due_at__lt=now)

    def visible_to(self, user):
        """Department scoping: a clerk sees their own department only; a verifier also
        sees every filing in the verifying stage; managers and superusers see all."""
        from staff_directory.roles import department_of, is_manager, is_verifier

        _open, stage = self._stages()
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if not getattr(user, "is_active", False) or not getattr(user, "is_staff", False):
            return self.none()
        if user.is_superuser or is_manager(user):
            return self
        department = department_of(user)
        condition = Q(pk__in=[])
        if department is not None:
            condition |= Q(department=department)
        if is_verifier(user):
            condition |= Q(stage=stage.VERIFYING)
        return self.filter(condition)

    def for_queue(self, user):
        """The clerks' admin queue: scoped, priority first, then the nearest stage due."""
        return (
            self.visible_to(user)
            .select_related("complaint_type", "department", "owner")
            .order_by("-is_priority", "stage_due_at", "id")
        )

    def paper(self):
        from complaints.models.complaint import PAPER_CHANNELS

        return self.filter(channel__in=PAPER_CHANNELS)

    def m1_breaches(self, now=None):
        """Letter and FAX filings whose owner heard of them more than an hour after
        receipt (M1); with `now`, also those still unnoticed an hour after receipt."""
        late = Q(notice_delay_minutes__gt=M1_LIMIT_MINUTES)
        if now is not None:
            late |= Q(
                owner_notified_at__isnull=True,
                received_at__lt=now - timedelta(minutes=M1_LIMIT_MINUTES),
            )
        return self.paper().filter(late)

    def due_for_progress_notice(self, now, every_days: int = 30):
        """Open filings 30 days after receipt, and again every 30 days (시행령 제23조)."""
        cutoff = now - timedelta(days=every_days)
        return (
            self.open()
            .filter(received_at__lte=cutoff)
            .filter(
                Q(last_progress_notice_at__isnull=True) | Q(last_progress_notice_at__lte=cutoff)
            )
        )
