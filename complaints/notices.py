"""Every message the complaints app sends, in one place (O4 M1 L1–L7, 시행령 제31조).

Services call these inside their transaction: each writes an outbox row (delivered by
the notifications app after commit), keyed so that one event is one message. A notice
that cannot be queued (a bad staff number, a missing address) is logged and never
undoes the filing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Letter, Stage
from complaints.tracking import tracking_url
from notifications.i18n import moment_in_words
from notifications.phones import is_mobile
from notifications.services import render_email, send_email, send_sms

logger = logging.getLogger(__name__)


def _local(moment) -> str:
    return moment_in_words(moment) if moment is not None else ""


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
    """Who handles it and how to reach them: every notice names the officer's department,
    name and contact (시행령 제31조, L7). Read in the active language."""
    department = complaint.department
    owner = complaint.owner
    return {
        "department": department.display_name,
        "officer": f"{owner.display_name} {owner.display_title}" if owner else _("배정 예정"),
        "contact": complaint.contact_phone,
    }


def base_context(complaint, **extra) -> dict:
    return {
        "receipt_number": complaint.receipt_number,
        "title": complaint.title,
        "type_name": complaint.complaint_type.display_name,
        "channel": complaint.get_channel_display(),
        "received_at": _local(complaint.received_at),
        "due_date": _local_date(complaint.due_at),
        "due_at": _local(complaint.due_at),
        "stage_due_at": _local(complaint.stage_due_at),
        "answer_by": _local(complaint.hold_answer_by),
        "on_hold": complaint.stage == Stage.ON_HOLD,
        "statutory": complaint.complaint_type.is_statutory,
        "link": tracking_link(complaint),
        "admin_link": admin_link(complaint),
        **contact_context(complaint),
        **extra,
    }


def _safely(send, language: str, *args) -> bool:
    """Queue one notice; False when it could not be. No savepoint of its own: the
    outbox's one write is in its own (`notifications.services._store_once`), so a failed
    notice leaves the caller's transaction usable."""
    try:
        with translation.override(language):
            send(*args)
    except Exception:  # a notice must never undo the state change it reports
        logger.warning("notice not queued: %s %s", args[1], args[3], exc_info=True)
        return False
    return True


def key_prefix(complaint) -> str:
    """What the outbox key of every notice about this filing starts with."""
    return f"complaint:{complaint.pk}:"


def citizen_gets_sms(complaint) -> bool:
    """O4 (courtesy notices: receipt, assignment): only filings with a legal period of five
    days or more, only with consent. Legal notices need no consent (`legal_notice`)."""
    return bool(
        complaint.sms_consent and complaint.phone and complaint.complaint_type.sends_citizen_sms
    )


def citizen_sms(complaint, template: str, key: str, **extra) -> bool:
    """A courtesy SMS (O4), in the language of the filing."""
    if not citizen_gets_sms(complaint):
        return False
    with translation.override(complaint.language):
        context = base_context(complaint, **extra)
    return _safely(
        send_sms,
        complaint.language,
        complaint.phone,
        f"complaints/{template}",
        context,
        f"{key_prefix(complaint)}{key}",
    )


#: The legal notices (L1–L7) and the subject line of each.
LEGAL_SUBJECTS = {
    "extended": gettext_lazy("처리기간 연장 안내"),
    "hold": gettext_lazy("보완 요청: 서류가 더 필요합니다"),
    "moved": gettext_lazy("담당 부서가 바뀌었습니다"),
    "transferred": gettext_lazy("다른 기관으로 이송했습니다"),
    "progress": gettext_lazy("처리 진행 상황 안내"),
    "result": gettext_lazy("처리 결과 안내"),
    "refused": gettext_lazy("반려 안내"),
}


def queue_letter(complaint, template: str, key: str, context: dict, now) -> Letter:
    """A printed letter for the clerk to post (the citizen gave no phone, no e-mail).
    The same key again returns the first letter."""
    subject, body, _html = render_email("complaints/notice", context)
    letter, _created = Letter.objects.get_or_create(
        key=key,
        defaults={
            "complaint": complaint,
            "template": template,
            "language": complaint.language,
            "recipient": complaint.complainant_name,
            "address": complaint.address,
            "subject": subject[:300],
            "body": body,
            "created_at": now,
        },
    )
    return letter


def legal_notice(complaint, template: str, key: str, *, now, **extra) -> list[str]:
    """A legal notice (extension, 보완, transfer, progress, result, refusal) by every
    channel the citizen gave: SMS to a mobile phone (no consent needed: it is not
    advertising), e-mail to the address, or, when there is neither, a letter queued for
    the clerk. In the language of the filing; names the officer (L7). Returns the
    channels used."""
    with translation.override(complaint.language):
        context = base_context(complaint, **extra)
        context["subject"] = str(LEGAL_SUBJECTS[template])
        context["body_template"] = f"complaints/notices/{template}.txt"
    base_key = f"{key_prefix(complaint)}{key}"
    used = []
    if (
        complaint.phone
        and is_mobile(complaint.phone)
        and _safely(
            send_sms,
            complaint.language,
            complaint.phone,
            f"complaints/{template}",
            context,
            base_key,
        )
    ):
        used.append("sms")
    if complaint.email and _safely(
        send_email,
        complaint.language,
        complaint.email,
        "complaints/notice",
        context,
        f"{base_key}:email",
    ):
        used.append("email")
    if not used:
        with translation.override(complaint.language):
            queue_letter(complaint, template, f"{base_key}:letter", context, now)
        used.append("letter")
    return used


def staff_notice(member, complaint, template: str, key: str, **extra) -> bool:
    """SMS and e-mail to a staff member (owner or head); True when at least one queued."""
    if member is None:
        return False
    with translation.override("ko"):
        context = base_context(complaint, staff_name=member.name, **extra)
    sent = False
    if member.mobile:
        sent |= _safely(
            send_sms,
            "ko",
            member.mobile,
            f"complaints/{template}",
            context,
            f"{key_prefix(complaint)}{key}:sms:{member.pk}",
        )
    if member.work_email:
        sent |= _safely(
            send_email,
            "ko",
            member.work_email,
            f"complaints/{template}",
            context,
            f"{key_prefix(complaint)}{key}:email:{member.pk}",
        )
    return sent
