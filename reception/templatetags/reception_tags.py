"""Template tags: the owner's open memos (admin index) and a card's commendations."""

from django import template
from django.utils import timezone

from reception import access, selectors
from reception.models import CommendationStatus

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


@register.inclusion_tag("reception/includes/commendations.html")
def commendations(member, count=None, limit=3):
    """A directory card's approved commendations (K2): count and recent stories.

    In a list of cards pass the count from `selectors.commendation_counts(ids)` to save
    the count query; the stories are one query per card."""
    stories = selectors.recent_commendations(member, limit=limit)
    if count is None:
        count = member.commendations.filter(status=CommendationStatus.APPROVED).count()
    return {"member": member, "count": count, "stories": stories}


@register.filter
def lookup(mapping, key):
    """`{{ counts|lookup:member.pk }}` → 0 when missing."""
    try:
        return mapping.get(key, 0)
    except AttributeError:
        return 0
