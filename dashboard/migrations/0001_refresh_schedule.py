"""The five-minute task that computes the dashboard's figures ahead (named periods)."""

import json

from django.db import migrations

TASK_NAME = "대시보드 집계 미리 계산 (5분마다)"
EVERY_MINUTES = 5


def seed(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five, _ = crontab_model.objects.get_or_create(
        minute=f"*/{EVERY_MINUTES}",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Seoul",
    )
    task_model.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "dashboard.tasks.refresh_figures",
            "crontab": every_five,
            "args": json.dumps([]),
            # A run that could not start before the next one is due is dropped, not queued.
            "expire_seconds": EVERY_MINUTES * 60,
            "description": "이번 주·이번 달·이번 분기·올해의 대시보드 집계를 군 전체와 부서별로 미리 계산해 둡니다. 관리자가 대시보드를 열 때 기다리지 않습니다.",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(seed, unseed)]
