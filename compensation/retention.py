"""Retention of the payouts' personal data (개인정보 보호법 제21조).

Called by the ``purge_personal_data`` command with the cutoff ``complaints.retention``
computes: a payout goes with its filing, so one whose filing closed before the cutoff
loses who received it and where (name, number, bank account); its amount, rule and
dates stay for the figures. A payout with those fields all empty is erased already, so
the purge is idempotent; one UPDATE, never a query per row.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from compensation.models import Payout
from complaints.models.complaint import CLOSED_STAGES

ERASED = {
    "recipient_name": "",
    "recipient_phone": "",
    "bank_name": "",
    "bank_account": "",
    "bank_holder": "",
}


def due_payouts(cutoff: datetime.datetime) -> QuerySet[Payout]:
    return Payout.objects.filter(
        complaint__stage__in=CLOSED_STAGES, complaint__closed_at__lt=cutoff
    ).exclude(**ERASED)


def purge(cutoff: datetime.datetime, *, dry_run: bool) -> int:
    """Erase the recipient and bank details of payouts whose filing closed before
    ``cutoff``."""
    due = due_payouts(cutoff)
    return due.count() if dry_run else due.update(**ERASED)
