"""The board sweep's schedule (M2): 09:00 and 14:00 KST, a django-celery-beat row that
managers can change in the admin. Created once; a manager's later edits are kept."""

from django.db import migrations

TASK_NAME = "게시판 확인 (하루 두 번)"
TASK = "reception.tasks.sweep_board"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="9,14",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Seoul",
    )
    PeriodicTask.objects.create(
        name=TASK_NAME,
        task=TASK,
        crontab=crontab,
        enabled=True,
        description="홈페이지 게시판의 새 글을 담당부서에 배정하고 알립니다 (M2).",
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reception", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
