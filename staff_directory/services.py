"""The only ways directory state changes: presence, substitute and photo."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Presence, StaffMember


@transaction.atomic
def set_presence(
    member: StaffMember,
    *,
    presence: str,
    until: datetime.datetime | None = None,
    note: str = "",
    substitute: StaffMember | None = None,
) -> StaffMember:
    """Record where a staff member is, until when, and who answers for them (V4).

    Back in the office clears the until-time. The substitute must work in the same
    department and cannot be the member themselves.
    """
    if presence not in Presence.values:
        raise ValidationError({"presence": _("근무 상태를 목록에서 골라 주세요.")})
    if substitute is not None:
        if substitute.pk == member.pk:
            raise ValidationError({"substitute": _("자기 자신을 대리 근무자로 정할 수 없습니다.")})
        if substitute.department_id != member.department_id or not substitute.is_active:
            raise ValidationError({"substitute": _("대리 근무자는 같은 부서 직원이어야 합니다.")})
    member.presence = presence
    member.presence_until = None if presence == Presence.IN_OFFICE else until
    member.presence_note = note.strip()
    member.substitute = substitute
    member.save(update_fields=["presence", "presence_until", "presence_note", "substitute"])
    return member


@transaction.atomic
def set_photo(member: StaffMember, photo: ContentFile) -> StaffMember:
    """Store an already checked card photo (see images.card_photo); drop the old file."""
    if not photo.name:
        raise ValueError("a card photo needs a file name (images.card_photo gives one)")
    old = member.photo.name if member.photo else ""
    member.photo.save(photo.name, photo, save=False)
    member.save(update_fields=["photo"])
    if old and old != member.photo.name:
        storage = member.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return member
