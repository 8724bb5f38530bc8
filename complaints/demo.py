"""Demo data: the county's complaint types and a handful of filings in several stages.

Idempotent: types are found by code, demo filings by their title.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from complaints import services
from complaints.catalogue import seed_complaint_types
from complaints.intake import Intake
from complaints.models import Agency, Channel, Complaint, ComplaintType, PriorityReason, Stage
from staff_directory.models import StaffMember

# title, type code, channel, days ago, steps, extra intake facts
DEMO_FILINGS = [
    ("연천읍 차탄리 도로 포트홀", "road-damage", Channel.WEB, 0, [], {}),
    (
        "전곡읍 보도블록 파손",
        "road-damage",
        Channel.VISIT,
        1,
        ["assign"],
        {"priority_reasons": (PriorityReason.ELDERLY,)},
    ),
    ("청산면 가로등 꺼짐", "streetlight", Channel.LETTER, 2, ["advance"], {}),
    (
        "민원실 직원 응대 불친절",
        "staff-unkind",
        Channel.WEB,
        3,
        ["assign", "advance", "advance"],
        {},
    ),
    ("백학면 쓰레기 무단 투기", "household-waste", Channel.PHONE, 1, ["assign", "hold"], {}),
    (
        "민원 서류 온라인 제출 확대 제안",
        "policy-suggestion",
        Channel.WEB,
        10,
        ["assign", "advance", "advance", "close"],
        {},
    ),
]

# Agencies a petition can be transferred to (L3): name, English name, phone, website.
DEMO_AGENCIES = [
    ("경기도청", "Gyeonggi Provincial Government", "031-120", "https://www.gg.go.kr"),
    ("한국도로공사", "Korea Expressway Corporation", "1588-2504", "https://www.ex.co.kr"),
    (
        "국민건강보험공단",
        "National Health Insurance Service",
        "1577-1000",
        "https://www.nhis.or.kr",
    ),
]


def _first_member(department_id):
    return (
        StaffMember.objects.filter(department_id=department_id, is_active=True, is_head=False)
        .order_by("id")
        .first()
    ) or StaffMember.objects.filter(department_id=department_id, is_active=True).first()


def _step(complaint, step, now):
    if step == "assign":
        owner = _first_member(complaint.department_id)
        if owner is not None:
            return services.assign(complaint, owner, by=None, now=now)
        return complaint
    if step == "advance":
        return services.advance(complaint, by=None, now=now)
    if step == "hold":
        return services.put_on_hold(
            complaint,
            reason="투기 장소 사진을 보내 주세요.",
            answer_by=now + timedelta(days=7),
            by=None,
            now=now,
        )
    if step == "close":
        return services.close_with_result(
            complaint,
            result_text="좋은 제안 감사합니다. 내년 민원 서비스 개선 계획에 반영하겠습니다.",
            by=None,
            now=now,
        )
    raise ValueError(step)


def seed(stdout=None) -> None:
    created_types = seed_complaint_types()
    for name, name_en, phone, website in DEMO_AGENCIES:
        Agency.objects.update_or_create(
            name=name, defaults={"name_en": name_en, "phone": phone, "website": website}
        )
    types = {t.code: t for t in ComplaintType.objects.all()}
    now = timezone.now()
    made = 0
    for title, code, channel, days_ago, steps, extra in DEMO_FILINGS:
        ctype = types.get(code)
        if ctype is None or ctype.handling_department_id is None:
            continue
        if Complaint.objects.filter(title=title).exists():
            continue
        filed_at = now - timedelta(days=days_ago, hours=1)
        complaint = services.file_complaint(
            Intake(
                channel=channel,
                complaint_type=ctype,
                title=title,
                content=f"{title}에 관한 데모 민원입니다.",
                name="홍길동",
                phone="010-1234-5678",
                address="경기도 연천군 연천읍 연천로 220",
                lives_in_county=True,
                sms_consent=True,
                arrived_at=filed_at,
                received_at=filed_at,
                **extra,
            ),
            by=None,
            now=filed_at,
        )
        for i, step in enumerate(steps, start=1):
            if complaint.stage == Stage.RECEIVED and step != "assign":
                # a letter whose department has no one to own it yet: stop here
                break
            complaint = _step(complaint, step, filed_at + timedelta(minutes=30 * i))
        made += 1
    if stdout is not None:
        stdout.write(f"Complaint types: {created_types} new; demo complaints: {made} new")
