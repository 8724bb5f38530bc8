"""Fixtures for survey tests: closed complaints and a campaign."""

import importlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps

from complaints.models import Complaint, Stage
from surveys.models import AFTER_CLOSURE_SLUG, Question, Survey, SurveyKind
from tests.complaints.factories import ComplaintTypeFactory, file_one

SEOUL = ZoneInfo("Asia/Seoul")
FILED = datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)
NOW = datetime(2026, 3, 20, 15, 0, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.RATELIMIT_ENABLE = False


@pytest.fixture(autouse=True)
def _seeded_survey(request):
    """The standing after-closure survey, back again if a transactional test flushed it."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    if not Survey.objects.filter(slug=AFTER_CLOSURE_SLUG).exists():
        seed = importlib.import_module("surveys.migrations.0002_after_closure_survey_and_schedule")
        seed.seed(django_apps, None)


@pytest.fixture
def road_type(roads, lead_department):
    return ComplaintTypeFactory(
        code="s-road",
        name="도로 파손 신고",
        period_days=7,
        handling_department=roads,
        lead_department=lead_department,
    )


@pytest.fixture
def env_type(environment, lead_department):
    return ComplaintTypeFactory(
        code="s-env",
        name="생활 쓰레기 신고",
        period_days=7,
        handling_department=environment,
        lead_department=lead_department,
    )


def close(complaint, at):
    """Mark a filing closed with its result (the stage machine is tested elsewhere)."""
    Complaint.objects.filter(pk=complaint.pk).update(
        stage=Stage.NOTIFIED, closed_at=at, result_text="보수를 마쳤습니다."
    )
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def closed_case(road_type):
    """``closed_case(**intake)``: a roads filing closed a day before NOW."""

    def make(ctype=None, closed_at=None, **overrides):
        complaint = file_one(ctype or road_type, now=FILED, **overrides)
        return close(complaint, closed_at or NOW - timedelta(days=1))

    return make


@pytest.fixture
def campaign(db):
    survey = Survey.objects.create(
        kind=SurveyKind.CAMPAIGN,
        title="2026년 연천군 민원 서비스 만족도 조사",
        title_en="2026 Yeoncheon civil service satisfaction survey",
        slug="2026",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 4, 30),
        threshold=3,
    )
    Question.objects.create(
        survey=survey, order=1, text="처리 결과에 만족하십니까?", text_en="Result?", topic="result"
    )
    Question.objects.create(
        survey=survey, order=2, text="직원은 친절했습니까?", text_en="Kindness?", topic="kindness"
    )
    Question.objects.create(
        survey=survey, order=3, text="안내문은 알기 쉬웠습니까?", text_en="Clear notices?"
    )
    Question.objects.create(
        survey=survey, order=4, text="의견", text_en="Comment", kind="comment", required=False
    )
    return survey
