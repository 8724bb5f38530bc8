"""The complaints app's schedules, editable by managers in the admin afterwards."""

import json

from django.db import migrations

OVERDUE = "민원 단계 기한 경과 확인"
PROGRESS = "민원 진행상황 통지(30일)"


def add_schedules(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_15, _ = interval_model.objects.get_or_create(every=15, period="minutes")
    nine_kst, _ = crontab_model.objects.get_or_create(
        minute="0",
        hour="9",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Seoul",
    )
    task_model.objects.get_or_create(
        name=OVERDUE,
        defaults={
            "task": "complaints.mark_overdue",
            "interval": every_15,
            "args": json.dumps([]),
            "description": "단계 기한이 지난 민원을 표시하고 담당자에게, 1근무일 뒤 부서장에게 알립니다.",
        },
    )
    task_model.objects.get_or_create(
        name=PROGRESS,
        defaults={
            "task": "complaints.progress_notices",
            "crontab": nine_kst,
            "args": json.dumps([]),
            "description": "접수 후 30일이 지난 민원에 진행상황을 알립니다(시행령 제23조).",
        },
    )


def remove_schedules(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    task_model.objects.filter(name__in=[OVERDUE, PROGRESS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_complaints"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
