"""A small county whose right answers are known, built through the services.

March 2026 (Asia/Seoul). The roads department (건설과) has four web filings received on
Monday 2 March, all closed: three before their legal deadline and one after it (75 %).
The environment department (환경과) has one filing, still open and overdue at NOW.
Roads also has two letter filings (M1): one noticed 10 minutes after receipt, one two
hours after (a breach).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints import services
from complaints.models import Channel
from tests.complaints.factories import ComplaintTypeFactory, intake_for
from tests.factories import StaffMemberFactory

SEOUL = ZoneInfo("Asia/Seoul")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SEOUL)
# The dashboard is looked at on Friday 20 March 2026, 15:00.
NOW = datetime(2026, 3, 20, 15, 0, tzinfo=SEOUL)
MARCH = "?period=custom&start=2026-03-01&end=2026-03-31"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def road_type(roads, lead_department):
    return ComplaintTypeFactory(
        code="d-road",
        name="도로 파손 신고",
        period_days=7,
        handling_department=roads,
        lead_department=lead_department,
    )


@pytest.fixture
def env_type(environment, lead_department):
    return ComplaintTypeFactory(
        code="d-env",
        name="생활 쓰레기 신고",
        period_days=7,
        handling_department=environment,
        lead_department=lead_department,
    )


@pytest.fixture
def road_owner(roads):
    return StaffMemberFactory(
        department=roads, name="정담당", email="owner@yeoncheon.go.kr", is_head=False
    )


@pytest.fixture
def env_owner(environment):
    return StaffMemberFactory(
        department=environment, name="한담당", email="env@yeoncheon.go.kr", is_head=False
    )


def walk(complaint, owner, *, assign_after, stage_hours, close_at):
    """Assign, advance through investigating and verifying, and close at `close_at`."""
    at = complaint.received_at + assign_after
    services.assign(complaint, owner, by=None, now=at)
    for hours in stage_hours:
        at = at + timedelta(hours=hours)
        services.advance(complaint, by=None, now=at)
    return services.close_with_result(complaint, result_text="보수 완료", by=None, now=close_at)


@pytest.fixture
def county(road_type, env_type, road_owner, env_owner):
    """The hand-built data set described in the module docstring."""
    roads_filings = [
        services.file_complaint(intake_for(road_type, name=name, arrived_at=MON), now=MON)
        for name in ("홍길동", "김철수", "이영희", "박민수")
    ]
    # Three close well before the deadline; the last closes a day after it.
    closes = []
    for index, complaint in enumerate(roads_filings):
        if index < 3:
            close_at = MON + timedelta(days=2, hours=index)
        else:
            close_at = complaint.due_at + timedelta(days=1)
        # The first is assigned within an hour; the others take three days (late, C2).
        assign_after = timedelta(hours=1) if index == 0 else timedelta(days=3)
        closes.append(
            walk(
                complaint,
                road_owner,
                assign_after=assign_after,
                stage_hours=(1, 1),
                close_at=max(close_at, complaint.received_at + assign_after + timedelta(hours=3)),
            )
        )
    env = services.file_complaint(intake_for(env_type, name="최환경", arrived_at=MON), now=MON)
    services.assign(env, env_owner, by=None, now=MON + timedelta(hours=2))
    # Letters (M1): the owner is told when the clerk files them.
    letter_ok = services.file_complaint(
        intake_for(
            road_type,
            channel=Channel.LETTER,
            name="남궁민수",
            arrived_at=MON - timedelta(minutes=10),
            received_at=MON - timedelta(minutes=10),
            owner=road_owner,
        ),
        now=MON,
    )
    letter_late = services.file_complaint(
        intake_for(
            road_type,
            channel=Channel.LETTER,
            name="장보고",
            arrived_at=MON - timedelta(hours=2),
            received_at=MON - timedelta(hours=2),
            owner=road_owner,
        ),
        now=MON,
    )
    return {
        "roads": [c for c in closes],
        "env": env,
        "letter_ok": letter_ok,
        "letter_late": letter_late,
    }


@pytest.fixture(autouse=True)
def _live_figures(settings):
    """Figures computed afresh in every test; the cache has its own test."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _json_support_known(request):
    """Django asks SQLite once per connection whether it has JSON functions (three
    statements); asked here, so that no page's query count includes it. Tests without
    the database (the table drawing) are left alone."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from django.db import connection

    connection.features.supports_json_field  # noqa: B018 - evaluated for its side effect
