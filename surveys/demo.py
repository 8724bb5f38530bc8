"""Demo data: this year's satisfaction campaign with a few answers, and invitations for
the closed demo filings. Idempotent (found by slug; answers only once)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from staff_directory.models import Department

from . import services
from .models import Question, QuestionKind, Survey, SurveyKind, Topic

QUESTIONS = [
    (1, "처리 결과에 만족하십니까?", "Are you satisfied with the result?", "scale", Topic.RESULT),
    (2, "직원은 친절했습니까?", "Was the staff kind?", "scale", Topic.KINDNESS),
    (3, "처리 속도에 만족하십니까?", "Are you satisfied with the speed?", "scale", Topic.SPEED),
    (4, "민원 안내는 알기 쉬웠습니까?", "Was the guidance easy to follow?", "scale", Topic.NONE),
    (5, "하고 싶은 말씀", "Anything else?", "comment", Topic.COMMENT),
]
DEMO_SCORES = [(4, 5, 3, 4), (2, 4, 2, 3), (5, 5, 4, 4), (3, 4, 2, 2)]


def seed(stdout=None) -> None:
    now = timezone.now()
    year = timezone.localdate(now).year
    survey, created = Survey.objects.get_or_create(
        slug=f"satisfaction-{year}",
        defaults={
            "kind": SurveyKind.CAMPAIGN,
            "title": f"{year}년 연천군 민원 서비스 만족도 조사",
            "title_en": f"Yeoncheon County civil service satisfaction survey {year}",
            "intro": "민원 서비스를 더 낫게 하려고 의견을 여쭙니다. 3분이면 됩니다.",
            "intro_en": "Help us improve our civil services. It takes three minutes.",
            "starts_on": date(year, 1, 1),
            "ends_on": date(year, 12, 31),
            "threshold": 3,
        },
    )
    if created:
        for order, text, text_en, kind, topic in QUESTIONS:
            Question.objects.create(
                survey=survey,
                order=order,
                text=text,
                text_en=text_en,
                kind=kind,
                topic=topic,
                required=kind == QuestionKind.SCALE,
            )
    if not survey.responses.exists():
        ids = list(
            survey.questions.filter(kind=QuestionKind.SCALE)
            .order_by("order")
            .values_list("id", flat=True)
        )
        departments = list(Department.objects.order_by("order")[:2])
        for index, scores in enumerate(DEMO_SCORES):
            department = departments[index % len(departments)] if departments else None
            services.submit_campaign_response(
                survey, dict(zip(ids, scores, strict=True)), department=department, now=now
            )
    invited = services.invite_closed_complaints(now)
    if stdout is not None:
        stdout.write(
            f"  surveys: campaign /surveys/campaign/{survey.slug}/, {len(invited)} invited"
        )
