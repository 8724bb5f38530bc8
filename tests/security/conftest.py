"""Fixtures of the security tests: a roads filing and one object of every personal-data
kind (memo, consultation, board post, commendation, payout, survey link, API filing),
all carrying the same citizen, 홍길동 at 010-1234-5678."""

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.complaints.factories import ComplaintTypeFactory, file_one

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SEOUL)
CITIZEN_NAME = "홍길동"
CITIZEN_PHONE = "010-1234-5678"
# Every way the fixtures' full phone number may be written.
FULL_PHONES = ("010-1234-5678", "01012345678", "+821012345678", "1234-5678")


@pytest.fixture(autouse=True)
def _private_cache(settings, request):
    """A cache of this test's own: rate-limit counters never leak between tests or
    into other processes sharing the file cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"security-{request.node.nodeid}",
        }
    }


@pytest.fixture
def road_type(roads, lead_department):
    return ComplaintTypeFactory(
        code="t-road",
        name="도로 파손 신고",
        period_days=7,
        handling_department=roads,
        lead_department=lead_department,
    )


@pytest.fixture
def roads_complaint(road_type, roads_clerk):
    """A web filing of the roads department with the fixtures' full name and phone."""
    return file_one(road_type, name=CITIZEN_NAME, phone=CITIZEN_PHONE)


@pytest.fixture
def board_post(roads):
    from reception import services

    return services.post_question(
        title="도로 보수 문의",
        body="언제 고쳐 주시나요?",
        author_name=CITIZEN_NAME,
        phone=CITIZEN_PHONE,
        is_public=False,
        password="secret-1234",
        department=roads,
        now=NOW,
    )


@pytest.fixture
def memo(roads_clerk, verifier):
    from reception import services

    return services.record_memo(
        owner=roads_clerk.staff_member,
        caller_name=CITIZEN_NAME,
        purpose="포트홀 보수 일정 문의",
        contacted_at=NOW,
        callback_needed=True,
        phone=CITIZEN_PHONE,
        number_read_back=True,
        taken_by=verifier,
        now=NOW,
    )


@pytest.fixture
def consultation(roads):
    from reception import services

    return services.request_consultation(
        name=CITIZEN_NAME,
        phone=CITIZEN_PHONE,
        description="방문 전에 상담하고 싶습니다.",
        department=roads,
        sms_consent=False,
        now=NOW,
    )


@pytest.fixture
def commendation(roads_clerk):
    from reception import services

    return services.submit_commendation(
        staff=roads_clerk.staff_member, story="친절했습니다.", nominator_name=CITIZEN_NAME, now=NOW
    )


@pytest.fixture
def payout(roads_complaint, roads_clerk, manager):
    """An approved R2 voucher for the roads filing (it shows in the purchase batch)."""
    from compensation import services

    proposed = services.propose_payout(
        roads_complaint,
        "R2",
        by=roads_clerk,
        now=NOW,
        record_error=True,
        recipient_name=CITIZEN_NAME,
        recipient_phone=CITIZEN_PHONE,
    )
    return services.approve_payout(proposed, by=manager, now=NOW)


@pytest.fixture
def survey_token(roads_complaint):
    """A live after-closure survey link for the roads filing: returns the raw token."""
    from surveys import services
    from surveys.models import AFTER_CLOSURE_SLUG, Survey, SurveyInvitation

    nonce = secrets.token_hex(16)
    token = services.token_for(nonce)
    SurveyInvitation.objects.create(
        complaint=roads_complaint,
        survey=Survey.objects.get(slug=AFTER_CLOSURE_SLUG),
        department=roads_complaint.department,
        nonce=nonce,
        token_hash=services.hash_token(token),
        created_at=NOW,
        expires_at=NOW + timedelta(days=3650),
    )
    return token


@pytest.fixture
def api_key(superuser):
    from open311 import services

    key, raw = services.issue_key("시험 앱", contact="dev@example.com", by=superuser, now=NOW)
    return key, raw


@pytest.fixture
def world(
    roads_complaint,
    board_post,
    memo,
    consultation,
    commendation,
    payout,
    survey_token,
    api_key,
    roads_head,
    other_clerk,
    verifier,
    manager,
    outsider,
    superuser,
):
    """One object of every kind, for tests that walk every URL or every changelist."""
    return {
        "complaint": roads_complaint,
        "board_post": board_post,
        "memo": memo,
        "consultation": consultation,
        "commendation": commendation,
        "payout": payout,
        "survey_token": survey_token,
        "api_key": api_key,
    }
