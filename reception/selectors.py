"""Read-only querysets named for their screen; aggregates in the database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Q, Value, When

from staff_directory.models import Department, StaffMember

from .models import BoardPost, CallbackState, Commendation, Consultation, Memo


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


def overdue_memo_count(now: datetime.datetime) -> int:
    """Every memo past its call-back due time, county-wide (for the dashboard)."""
    return Memo.objects.overdue(now).count()


def commendation_counts(staff_ids: Iterable[int]) -> dict[int, int]:
    """Approved commendations per staff member, one query (K2): {staff_id: count}.
    Staff without any are left out (read with `.get(pk, 0)`)."""
    ids = list(staff_ids)
    if not ids:
        return {}
    return dict(
        Commendation.objects.approved()
        .filter(staff_id__in=ids)
        .order_by()
        .values_list("staff_id")
        .annotate(n=Count("id"))
        .values_list("staff_id", "n")
    )


def recent_commendations(staff: StaffMember, limit: int = 3):
    """The latest approved stories for one directory card."""
    return list(
        Commendation.objects.approved()
        .filter(staff=staff)
        .exclude(story="")  # erased once past retention
        .order_by("-reviewed_at", "-id")[:limit]
    )


__all__ = [
    "CallbackState",
    "commendation_counts",
    "open_consultations",
    "open_memos_for",
    "open_memos_for_department",
    "overdue_counts",
    "overdue_memo_count",
    "recent_commendations",
    "unanswered_posts",
]
