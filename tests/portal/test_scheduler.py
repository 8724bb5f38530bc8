"""`make run` runs the scheduled jobs too (O5 M2 S1): the embedded portal's scheduler
thread runs beat's schedule in-process. Tested through its tick, with the pinned clock."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from complaints import services as complaints_services
from complaints.models import ComplaintType
from notifications.models import SmsMessage
from reception.models import BoardPost
from reception.services import post_question
from reception.tasks import SWEEP_TASK
from staff_directory.models import StaffMember
from surveys.models import SurveyInvitation
from tests.complaints.factories import file_one
from yeoncheon_portal import scheduler

pytestmark = pytest.mark.django_db

INVITE_TASK = "surveys.tasks.invite_closed_complaints"


@pytest.fixture
def demo(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("seed_demo", "--force", stdout=io.StringIO())


def at(hour: int, minute: int = 0) -> datetime.datetime:
    local = timezone.localtime()
    return local.replace(hour=hour, minute=minute, second=30, microsecond=0)


def test_O5_newcomers_run_routes_the_board_and_invites_after_a_closure(demo):
    # What a newcomer does in the running portal: a question on the board, a filing
    # taken, assigned and closed with its result.
    post = post_question(
        title="주차장 개방 시간", body="주말에도 여나요?", author_name="김민원", now=timezone.now()
    )
    road = ComplaintType.objects.get(code="road-damage")
    complaint = file_one(road, now=timezone.now(), phone="010-2222-3333", sms_consent=True)
    owner = StaffMember.objects.get(name="이준호")
    complaint = complaints_services.assign(complaint, owner, by=None, now=timezone.now())
    complaint = complaints_services.close_with_result(
        complaint, result_text="보수했습니다.", by=None, now=timezone.now()
    )
    assert BoardPost.objects.get(pk=post.pk).routed_at is None
    assert not SurveyInvitation.objects.filter(complaint=complaint).exists()

    ran = scheduler.tick(timezone.now())

    assert SWEEP_TASK in ran and INVITE_TASK in ran
    post.refresh_from_db()
    assert post.routed_at is not None and post.department is not None
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    sms = SmsMessage.objects.get(key=f"survey:{invitation.pk}:invite")
    assert sms.to == "+821022223333"
    assert "http://127.0.0.1:8123/surveys/" in sms.body  # SITE_URL, the served address


def test_O5_after_the_first_tick_each_job_keeps_beats_schedule(demo):
    now = at(10, 5)
    with time_machine.travel(now, tick=False):
        first = scheduler.tick(now)
    assert {SWEEP_TASK, INVITE_TASK} <= set(first)
    # A minute later: only the every-minute jobs (the outbox re-dispatcher).
    with time_machine.travel(now + datetime.timedelta(minutes=1), tick=False):
        again = scheduler.tick(timezone.now())
    assert SWEEP_TASK not in again and INVITE_TASK not in again
    # The survey invitations run at 20 past each hour, the sweep at 14:00 (09:00 and
    # 14:00 KST, as beat runs them).
    with time_machine.travel(at(10, 20), tick=False):
        assert INVITE_TASK in scheduler.tick(timezone.now())
        assert SWEEP_TASK not in scheduler.tick(timezone.now())
    late = post_question(title="야간 문의", body="가로등", author_name="박민원", now=at(13, 0))
    with time_machine.travel(at(14, 0), tick=False):
        assert SWEEP_TASK in scheduler.tick(timezone.now())
    late.refresh_from_db()
    assert late.routed_at is not None
    sweep = PeriodicTask.objects.get(task=SWEEP_TASK)
    assert sweep.total_run_count == 2


def test_O5_a_failing_job_is_logged_and_the_others_still_run(demo, monkeypatch):
    from surveys import services as survey_services

    def broken(now, **kwargs):
        raise RuntimeError("survey store down")

    errors = []
    monkeypatch.setattr(survey_services, "invite_closed_complaints", broken)
    monkeypatch.setattr(scheduler.logger, "error", lambda *args: errors.append(args[0] % args[1:]))
    ran = scheduler.tick(timezone.now())
    assert SWEEP_TASK in ran and INVITE_TASK in ran
    assert errors == [
        "scheduled job surveys.tasks.invite_closed_complaints failed: "
        "RuntimeError('survey store down')"
    ]


def test_O5_runportal_serves_with_the_scheduler_and_links_to_its_own_address(monkeypatch, settings):
    from django.core.management.commands import runserver

    started, served = [], []
    monkeypatch.delenv("SITE_URL", raising=False)
    settings.SITE_URL = "http://127.0.0.1:8000"  # the setting's default; restored after
    monkeypatch.setattr(scheduler, "start", lambda: started.append(True))
    monkeypatch.setattr(runserver.Command, "inner_run", lambda self, *a, **k: served.append(1))
    out = io.StringIO()
    call_command("runportal", "127.0.0.1:8123", use_reloader=False, stdout=out)
    assert started == [True] and served == [1]
    assert settings.SITE_URL == "http://127.0.0.1:8123"
    assert "links in notices use http://127.0.0.1:8123" in out.getvalue()


def test_O5_runportal_keeps_a_configured_site_url_and_leaves_jobs_to_beat_with_redis(
    monkeypatch, settings
):
    from django.core.management.commands import runserver

    started = []
    monkeypatch.setenv("SITE_URL", "https://minwon.yeoncheon.go.kr")
    settings.SITE_URL = "https://minwon.yeoncheon.go.kr"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(scheduler, "start", lambda: started.append(True))
    monkeypatch.setattr(runserver.Command, "inner_run", lambda self, *a, **k: None)
    call_command("runportal", "127.0.0.1:8123", use_reloader=False, stdout=io.StringIO())
    assert started == [] and settings.SITE_URL == "https://minwon.yeoncheon.go.kr"
