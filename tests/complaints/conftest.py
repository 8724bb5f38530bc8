"""Fixtures shared by the complaint tests (the cast comes from tests/fixtures/cast.py)."""

import pytest

from tests.complaints.factories import ComplaintTypeFactory


@pytest.fixture
def road_type(roads, lead_department):
    """A 7-day petition handled by the roads department: citizens get SMS (O4)."""
    return ComplaintTypeFactory(
        code="t-road",
        name="도로 파손 신고",
        period_days=7,
        handling_department=roads,
        lead_department=lead_department,
    )


@pytest.fixture
def short_type(roads, lead_department):
    """A 3-day petition: counted in hours, no citizen SMS (O4)."""
    return ComplaintTypeFactory(
        code="t-short",
        name="불법 주정차 신고",
        period_days=3,
        handling_department=roads,
        lead_department=lead_department,
    )


@pytest.fixture
def env_type(environment, lead_department):
    return ComplaintTypeFactory(
        code="t-env",
        name="생활 쓰레기 신고",
        period_days=7,
        handling_department=environment,
        lead_department=lead_department,
    )
