"""Template tag: the owner's open memos (admin index)."""

from django import template
from django.utils import timezone

from reception import access, selectors

register = template.Library()


@register.inclusion_tag("reception/includes/my_open_memos.html")
def my_open_memos(user):
    """The "my open memos" block shown first after login (V4 P3)."""
    member = access.staff_member_of(user)
    memos = list(selectors.open_memos_for(member)[:20]) if member is not None else []
    now = timezone.now()
    return {
        "member": member,
        "memos": memos,
        "overdue": sum(1 for memo in memos if memo.is_overdue(now)),
        "now": now,
    }
