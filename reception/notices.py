"""Who hears about reception work, and how: thin calls into the notifications outbox.

Every function here is called inside the transaction of the action in
`reception.services`: the outbox rows commit with the action or not at all, and each
notice carries an idempotency key so a retried action sends it once. A notice that cannot
be written is logged and never undoes the action it reports.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.utils import translation

from notifications.services import send_email, send_sms
from staff_directory.models import StaffMember

logger = logging.getLogger(__name__)


def _queue(send, to: str, template: str, context: dict, key: str) -> bool:
    """Write one outbox row in the caller's transaction; False when it could not be.

    The outbox's one write has its own savepoint (`notifications.services._store_once`):
    a failed write leaves the caller's transaction usable."""
    try:
        send(to, template, context, key)
    except ValueError:
        logger.warning("notice %s not queued: unusable number or address", key)
        return False
    except Exception:  # a notice must never undo the action it reports
        logger.warning("notice %s not queued", key, exc_info=True)
        return False
    return True


def notify_member(member: StaffMember, template: str, context: dict, key: str) -> None:
    """SMS to the work mobile and e-mail to the work address, whichever exist."""
    with translation.override("ko"):
        if member.mobile:
            _queue(send_sms, member.mobile, template, context, f"{key}:sms:{member.pk}")
        address = member.work_email
        if address:
            _queue(send_email, address, template, context, f"{key}:email:{member.pk}")


def email_members(members: Iterable[StaffMember], template: str, context: dict, key: str) -> int:
    """E-mail each member that has an address; returns how many were queued."""
    sent = 0
    with translation.override("ko"):
        for member in members:
            address = member.work_email
            if address and _queue(
                send_email, address, template, context, f"{key}:email:{member.pk}"
            ):
                sent += 1
    return sent


def responsible_staff(department_ids: Iterable[int]) -> dict[int, list[StaffMember]]:
    """Who answers for a department's consultations and board posts (V5 M2): its heads
    with an e-mail; when no head has one, every active member with an e-mail. One query
    for any number of departments."""
    ids = list(department_ids)
    members = (
        StaffMember.objects.filter(department_id__in=ids, is_active=True)
        .select_related("user")
        .order_by("department_id", "-is_head", "id")
    )
    by_department: dict[int, list[StaffMember]] = {pk: [] for pk in ids}
    for member in members:
        if member.work_email:
            by_department[member.department_id].append(member)
    chosen = {}
    for pk, people in by_department.items():
        heads = [m for m in people if m.is_head]
        chosen[pk] = heads or people
    return chosen


def citizen_sms(phone: str, template: str, context: dict, key: str) -> None:
    """An SMS to a citizen; a number the provider refuses is logged, never raised."""
    _queue(send_sms, phone, template, context, key)


def citizen_email(address: str, template: str, context: dict, key: str) -> None:
    _queue(send_email, address, template, context, key)
