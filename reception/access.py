"""Who may see and handle reception work.

Clerks and verifiers handle their own department's memos, consultations and board posts;
managers read everything; superusers do everything. Anyone else is refused.
"""

from __future__ import annotations

from staff_directory.roles import department_of, is_manager, staff_member_of

__all__ = [
    "can_handle",
    "can_read_post",
    "can_view",
    "department_of",
    "is_manager",
    "is_reception_staff",
    "staff_member_of",
]


def is_reception_staff(user) -> bool:
    """A logged-in staff account with a directory entry, or a manager."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or is_manager(user):
        return True
    return bool(user.is_staff) and staff_member_of(user) is not None


def can_handle(user, department_id: int | None) -> bool:
    """Close a call back or answer a post of this department."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    department = department_of(user)
    return department is not None and department.pk == department_id


def can_view(user, department_id: int | None) -> bool:
    return can_handle(user, department_id) or is_manager(user)


def can_read_post(user, post) -> bool:
    """A private board post is read by its department and managers; before the sweep
    routes it, by the lead department and managers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if post.department_id is not None:
        return can_view(user, post.department_id)
    if user.is_superuser or is_manager(user):
        return True
    department = department_of(user)
    return department is not None and department.is_lead
