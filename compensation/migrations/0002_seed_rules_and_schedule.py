"""The standard's compensation rules (R1–R5) as version 1, and the hourly task that
proposes the payouts the recorded facts owe (R3, R5)."""

import json

from django.db import migrations
from django.utils import timezone

RULES = [
    {
        "code": "R1",
        "title": "방문·처리 중 불편",
        "title_en": "Inconvenience during a visit or the handling",
        "description": "민원 방문 또는 처리 중 불편을 겪은 경우: 실비 상당의 물품, 또는 같은 금액을 계좌로 드립니다(금액은 건마다 관리자가 정함).",
        "description_en": "Inconvenience during a visit or the handling: goods of actual cost, or the same amount by bank transfer (the manager sets the amount per case).",
        "amount": None,
        "kind": "goods",
        "allows_transfer": True,
    },
    {
        "code": "R2",
        "title": "공부(公簿) 기재 착오",
        "title_en": "Clerical error in a public record",
        "description": "공부에 잘못 기재한 경우: 즉시 바로잡고 문화상품권 1만원을 드립니다.",
        "description_en": "A clerical error in a public record: corrected at once and a 10,000 KRW culture voucher.",
        "amount": 10000,
        "kind": "voucher",
    },
    {
        "code": "R3",
        "title": "공무원 잘못으로 2회 이상 방문",
        "title_en": "Visited twice or more because of an official's error",
        "description": "공무원의 잘못이나 부주의로 같은 부서를 2회 이상 방문한 경우: 우선 처리하고 사과하며, 군민 5천원, 타 지역 주민 1만원의 문화상품권을 드립니다.",
        "description_en": "An official's error or negligence made the citizen visit the same office twice or more: the filing is expedited, an apology is made, and a culture voucher of 5,000 KRW (county resident) or 10,000 KRW (elsewhere).",
        "amount_resident": 5000,
        "amount_nonresident": 10000,
        "kind": "voucher",
    },
    {
        "code": "R4",
        "title": "장애인 편의시설 이용 불편",
        "title_en": "A disabled citizen could not use a facility",
        "description": "장애인이 편의시설을 이용하지 못했거나 이용이 어려웠던 경우: 신고하면 문화상품권 1만원을 드립니다.",
        "description_en": "A disabled citizen could not use a facility, or found it hard: a 10,000 KRW culture voucher on report.",
        "amount": 10000,
        "kind": "voucher",
    },
    {
        "code": "R5",
        "title": "공표한 서비스 미이행",
        "title_en": "A published service not kept",
        "description": "군이 공표한 서비스를 지키지 못한 경우(우편·FAX 통보 1시간 초과, 게시판 점검 누락, 처리 단계 기한 경과 포함): 신고하신 분께 문화상품권 1만원을 드리고 해당 부서 직원을 교육합니다.",
        "description_en": "The county failed a service it published (a mail/FAX notice later than an hour, a board post not swept, a stage past its due time included): a 10,000 KRW culture voucher to the reporter and training for the department.",
        "amount": 10000,
        "kind": "voucher",
    },
]
TERMS = (
    "title",
    "title_en",
    "description",
    "description_en",
    "amount",
    "amount_resident",
    "amount_nonresident",
    "kind",
    "allows_transfer",
    "min_visits",
    "notice_limit_minutes",
    "is_active",
)
TASK_NAME = "보상 자동 제안(R3·R5)"


def seed(apps, schema_editor):
    rule_model = apps.get_model("compensation", "CompensationRule")
    version_model = apps.get_model("compensation", "CompensationRuleVersion")
    for data in RULES:
        rule, created = rule_model.objects.get_or_create(code=data["code"], defaults=data)
        if created:
            version_model.objects.create(
                rule=rule,
                version=1,
                changed_at=timezone.now(),
                note="보상기준 최초 등록",
                **{name: getattr(rule, name) for name in TERMS},
            )
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = crontab_model.objects.get_or_create(
        minute="5",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Seoul",
    )
    task_model.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "compensation.tasks.propose_automatic_payouts",
            "crontab": hourly,
            "args": json.dumps([]),
            "description": "방문 횟수와 우선 처리 사유(R3), 통보 지연·단계 기한 경과(R5)가 기록된 민원에 보상을 제안합니다.",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compensation", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
