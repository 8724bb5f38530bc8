"""The clerk's desk on the admin home: my filings by urgency, new ones in my department,
the staff tools one click away, and for verifiers the filings waiting for them."""

from django import template
from django.utils import timezone

from complaints.admin.complaint import annotate_due_state
from complaints.models import Complaint, Stage
from complaints.models.complaint import OPEN_STAGES
from staff_directory.roles import is_manager, is_verifier, staff_member_of

register = template.Library()

# Each list on the home shows at most this many rows (the queue has the rest).
DESK_ROWS = 20


@register.inclusion_tag("complaints/admin/desk.html")
def clerk_desk(user):
    member = staff_member_of(user)
    now = timezone.now()
    base = Complaint.objects.select_related("complaint_type", "department", "owner")
    mine: list[Complaint] = []
    new: list[Complaint] = []
    if member is not None:
        mine = list(
            annotate_due_state(base.filter(owner=member, stage__in=OPEN_STAGES), now).order_by(
                "stage_due_at", "id"
            )[:DESK_ROWS]
        )
        new = list(
            base.filter(department_id=member.department_id, stage=Stage.RECEIVED).order_by(
                "received_at", "id"
            )[:DESK_ROWS]
        )
    verifying: list[Complaint] = []
    if is_verifier(user):
        verifying = list(
            base.filter(stage=Stage.VERIFYING).order_by("stage_due_at", "id")[:DESK_ROWS]
        )
    return {
        "member": member,
        "overdue": [c for c in mine if c.due_state == "overdue"],
        "due_today": [c for c in mine if c.due_state == "today"],
        "on_hold": [c for c in mine if c.stage == Stage.ON_HOLD],
        "mine": mine,
        "new": new,
        "verifying": verifying,
        "is_verifier": is_verifier(user),
        "is_manager": is_manager(user),
    }
