"""Read-only querysets named for their screen; aggregates in the database."""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Q, Value, When

from staff_directory.models import Department, StaffMember

from .models import BoardPost, CallbackState, Consultation, Memo


def open_memos_for_department(department: Department | None, member: StaffMember | None):
    """A department's pending memos, the viewer's own first, oldest first within."""
    if department is None:
        return Memo.objects.none()
    mine = member.pk if member is not None else 0
    return (
        Memo.objects.open()
        .filter(owner__department=department)
        .select_related("owner")
        .annotate(
            is_mine=Case(
                When(owner_id=mine, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("is_mine", "created_at", "id")
    )


def open_memos_for(member: StaffMember | None):
    """What the owner sees first when they log in: memos for them and for the people
    they stand in for, waiting for a call back."""
    if member is None:
        return Memo.objects.none()
    return (
        Memo.objects.open()
        .filter(Q(owner=member) | Q(owner__substitute=member))
        .select_related("owner")
        .order_by("created_at", "id")
    )


def open_consultations(department: Department | None):
    if department is None:
        return Consultation.objects.none()
    return Consultation.objects.open().filter(department=department).order_by("created_at", "id")


def unanswered_posts(department: Department | None):
    """Routed to the department and not answered: they stay until answered (M2)."""
    return BoardPost.objects.for_department(department).unanswered().order_by("created_at", "id")


def overdue_counts(department: Department | None, now: datetime.datetime) -> dict[str, int]:
    """Memos and consultations waiting longer than a working day (one query each)."""
    if department is None:
        return {"memos": 0, "consultations": 0}
    return {
        "memos": Memo.objects.overdue(now).filter(owner__department=department).count(),
        "consultations": Consultation.objects.overdue(now).filter(department=department).count(),
    }


__all__ = [
    "CallbackState",
    "open_consultations",
    "open_memos_for",
    "open_memos_for_department",
    "overdue_counts",
    "unanswered_posts",
]
