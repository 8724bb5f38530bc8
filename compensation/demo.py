"""Demo data: payouts for the demo filings. Idempotent (one payout per rule per case)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints.models import Complaint
from staff_directory.roles import MANAGER

from . import services
from .models import Payout, PayoutState

# demo filing title, rule, reported facts, approve?
DEMO_PAYOUTS = [
    ("민원실 직원 응대 불친절", "R5", {"service_failure": True}, True),
    ("전곡읍 보도블록 파손", "R2", {"record_error": True}, False),
]


def seed(stdout=None) -> None:
    now = timezone.now()
    manager = get_user_model().objects.filter(groups__name=MANAGER, is_active=True).first()
    created = services.propose_automatic_payouts(now)
    for title, code, facts, approve in DEMO_PAYOUTS:
        complaint = Complaint.objects.filter(title=title).first()
        if complaint is None:
            continue
        try:
            payout = services.propose_payout(complaint, code, by=manager, now=now, **facts)
            created += 1
        except services.DuplicatePayout as exc:
            payout = exc.payout
        except services.CompensationError:
            continue
        if approve and manager is not None and payout.state == PayoutState.PROPOSED:
            services.approve_payout(payout, by=manager, now=now)
    if stdout is not None:
        stdout.write(f"  compensation: {created} new payouts, {Payout.objects.count()} in all")
