"""The standing after-closure survey (three questions and a comment) and the hourly task
that invites the citizens of closed filings (S1)."""

import json

from django.db import migrations

QUESTIONS = [
    (
        1,
        "처리 결과에 얼마나 만족하십니까?",
        "How satisfied are you with the result?",
        "scale",
        "result",
    ),
    (
        2,
        "담당 직원은 친절했습니까?",
        "How kind was the staff member who handled it?",
        "scale",
        "kindness",
    ),
    (
        3,
        "처리 속도에 얼마나 만족하십니까?",
        "How satisfied are you with the speed?",
        "scale",
        "speed",
    ),
    (
        4,
        "더 하고 싶은 말씀이 있으면 적어 주세요.",
        "Anything else you would like to tell us?",
        "comment",
        "comment",
    ),
]
TASK_NAME = "처리 완료 민원 만족도 조사 안내"


def seed(apps, schema_editor):
    survey_model = apps.get_model("surveys", "Survey")
    question_model = apps.get_model("surveys", "Question")
    survey, created = survey_model.objects.get_or_create(
        slug="after-closure",
        defaults={
            "kind": "after_closure",
            "title": "민원 처리 만족도 조사",
            "title_en": "Satisfaction with your completed request",
            "threshold": 3,
        },
    )
    if created:
        for order, text, text_en, kind, topic in QUESTIONS:
            question_model.objects.create(
                survey=survey,
                order=order,
                text=text,
                text_en=text_en,
                kind=kind,
                topic=topic,
                required=kind == "scale",
            )
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = crontab_model.objects.get_or_create(
        minute="20",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Seoul",
    )
    task_model.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "surveys.tasks.invite_closed_complaints",
            "crontab": hourly,
            "args": json.dumps([]),
            "description": "결과를 통보한 민원의 민원인에게 만족도 조사 링크를 한 번 문자로 보냅니다(30일 유효).",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
