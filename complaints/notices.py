"""Every message the complaints app sends, in one place (O4 M1, 시행령 제31조).

Services call these inside their transaction: each writes an outbox row (delivered by
the notifications app after commit), keyed so that one event is one message. A notice
that cannot be queued (a bad staff number, a missing address) is logged and never
undoes the filing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from complaints.tracking import tracking_url
from notifications.services import send_email, send_sms

logger = logging.getLogger(__name__)


def _local(moment) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y.%m.%d %H:%M")


def _local_date(moment) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%m.%d")


def tracking_link(complaint) -> str:
    return tracking_url(complaint)


def admin_link(complaint) -> str:
    try:
        path = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    except NoReverseMatch:
        path = f"/admin/complaints/complaint/{complaint.pk}/change/"
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def contact_context(complaint) -> dict:
    """Who handles it and how to reach them: every notice names them (시행령 제31조)."""
    department = complaint.department
    owner = complaint.owner
    return {
        "department": department.name,
        "officer": f"{owner.name} {owner.title}" if owner else "배정 예정",
        "contact": (owner.direct_line if owner and owner.direct_line else "")
        or department.main_phone
        or "031-839-2114",
    }


def base_context(complaint, **extra) -> dict:
    return {
        "receipt_number": complaint.receipt_number,
        "title": complaint.title,
        "type_name": complaint.complaint_type.name,
        "channel": complaint.get_channel_display(),
        "received_at": _local(complaint.received_at),
        "due_date": _local_date(complaint.due_at),
        "due_at": _local(complaint.due_at),
        "stage_due_at": _local(complaint.stage_due_at),
        "link": tracking_link(complaint),
        "admin_link": admin_link(complaint),
        **contact_context(complaint),
        **extra,
    }


def _safely(send, *args) -> bool:
    try:
        with transaction.atomic(), translation.override("ko"):
            send(*args)
    except Exception:  # a notice must never undo the state change it reports
        logger.warning("notice not queued: %s %s", args[1], args[3], exc_info=True)
        return False
    return True


def citizen_gets_sms(complaint) -> bool:
    """O4: only filings with a legal period of five days or more, only with consent."""
    return bool(
        complaint.sms_consent and complaint.phone and complaint.complaint_type.sends_citizen_sms
    )


def citizen_sms(complaint, template: str, key: str, **extra) -> bool:
    if not citizen_gets_sms(complaint):
        return False
    return _safely(
        send_sms,
        complaint.phone,
        f"complaints/{template}",
        base_context(complaint, **extra),
        f"complaint:{complaint.pk}:{key}",
    )


def citizen_result_email(complaint) -> bool:
    if not complaint.email:
        return False
    return _safely(
        send_email,
        complaint.email,
        "complaints/result",
        base_context(
            complaint,
            result_text=complaint.result_text or complaint.refusal_reason,
            refused=bool(complaint.refusal_reason),
        ),
        f"complaint:{complaint.pk}:result-email",
    )


def staff_notice(member, complaint, template: str, key: str, **extra) -> bool:
    """SMS and e-mail to a staff member (owner or head); True when at least one queued."""
    if member is None:
        return False
    context = base_context(complaint, staff_name=member.name, **extra)
    sent = False
    if member.mobile:
        sent |= _safely(
            send_sms,
            member.mobile,
            f"complaints/{template}",
            context,
            f"complaint:{complaint.pk}:{key}:sms:{member.pk}",
        )
    if member.email:
        sent |= _safely(
            send_email,
            member.email,
            f"complaints/{template}",
            context,
            f"complaint:{complaint.pk}:{key}:email:{member.pk}",
        )
    return sent
