"""`manage.py runportal [addr:port]`: the embedded portal of `make run`, whole.

Django's development server, plus the scheduled jobs that beat runs in production (the
board sweep, survey invitations, overdue marks and escalations, …) in a thread of the
same process (`yeoncheon_portal.scheduler`), and links in notices pointing at the address
served unless SITE_URL says otherwise. With REDIS_URL set, beat and the worker run the
jobs (`make beat`, `make worker`) and no scheduler thread is started.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.commands.runserver import Command as RunserverCommand

from yeoncheon_portal import scheduler


class Command(RunserverCommand):
    help = "개발 서버와 예약 작업(게시판 확인, 만족도 조사 안내 등)을 한 프로세스에서 실행합니다."

    def inner_run(self, *args, **options):
        # In the serving process (the autoreloader's child): once per (re)start.
        if "SITE_URL" not in os.environ:
            host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
            settings.SITE_URL = f"{self.protocol}://{host}:{self.port}"
        if settings.CELERY_TASK_ALWAYS_EAGER:
            scheduler.start()
            self.stdout.write(
                f"Scheduled jobs run in this process every {scheduler.TICK_SECONDS} s; "
                f"links in notices use {settings.SITE_URL}"
            )
        super().inner_run(*args, **options)
