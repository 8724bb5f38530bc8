"""Factories and helpers for complaint tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import factory

from complaints.intake import Intake
from complaints.models import Channel, ComplaintType, Kind
from complaints.services import file_complaint

SEOUL = ZoneInfo("Asia/Seoul")
# A Tuesday with no holiday near it.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)


class ComplaintTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-type-{n}")
    name = factory.Sequence(lambda n: f"시험 민원 {n}")
    name_en = factory.Sequence(lambda n: f"Test type {n}")
    kind = Kind.PETITION
    period_days = 7
    description = "시험용 민원 종류"
    accepts_online = True
    accepts_open311 = True


def intake_for(ctype, **overrides) -> Intake:
    values = {
        "channel": Channel.WEB,
        "complaint_type": ctype,
        "title": "도로가 패였습니다",
        "content": "연천읍 차탄리 앞 도로에 큰 구멍이 있습니다.",
        "name": "홍길동",
        "phone": "010-1234-5678",
        "email": "hong@example.com",
        "address": "경기도 연천군 연천읍 차탄로 1",
        "lives_in_county": True,
        "sms_consent": True,
    }
    values.update(overrides)
    return Intake(**values)


def file_one(ctype, *, by=None, now=NOW, **overrides):
    return file_complaint(intake_for(ctype, **overrides), by=by, now=now)
