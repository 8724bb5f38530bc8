"""Fixtures for compensation tests: complaints filed through the complaints service."""

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps

from compensation.models import CompensationRule
from tests.complaints.factories import ComplaintTypeFactory, file_one

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def _seeded_rules(request):
    """The data migration's rules, back again if a transactional test flushed them."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    if not CompensationRule.objects.exists():
        seed = importlib.import_module("compensation.migrations.0002_seed_rules_and_schedule")
        seed.seed(django_apps, None)


@pytest.fixture
def road_type(roads, lead_department):
    return ComplaintTypeFactory(
        code="c-road",
        name="도로 파손 신고",
        period_days=7,
        handling_department=roads,
        lead_department=lead_department,
    )


@pytest.fixture
def file_case(road_type):
    """``file_case(**intake)`` files a roads complaint at NOW and returns it."""

    def make(**overrides):
        return file_one(road_type, now=NOW, **overrides)

    return make


@pytest.fixture
def repeat_visit(file_case):
    """R3 facts: a resident back for the second time because of an official's error."""
    return file_case(
        channel="visit", visit_count=2, priority_reasons=("official_error",), lives_in_county=True
    )


@pytest.fixture
def rule():
    return lambda code: CompensationRule.objects.get(code=code)
