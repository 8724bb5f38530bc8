"""Fixtures for the reception tests: a fixed working-day clock, staff with contact
details, and a private cache so that rate limits never leak between tests."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from staff_directory.models import StaffMember

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def _private_cache(settings, request):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"reception-{request.node.nodeid}",
        }
    }


@pytest.fixture
def now():
    """Tuesday 24 November 2026, 10:00 in Seoul: a working day."""
    return datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def absent_owner(roads_clerk, roads_head):
    """The roads clerk, out on a trip, with the head of roads as substitute; both have a
    work mobile and e-mail."""
    owner = roads_clerk.staff_member
    head = roads_head.staff_member
    StaffMember.objects.filter(pk=head.pk).update(
        mobile="+821011112222", email="head@yeoncheon.go.kr"
    )
    StaffMember.objects.filter(pk=owner.pk).update(
        mobile="+821033334444",
        email="doro@yeoncheon.go.kr",
        presence="trip",
        substitute=head,
    )
    owner.refresh_from_db()
    return owner
