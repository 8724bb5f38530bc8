"""The clerk's desk on a complaint's admin page: the actions this user may take now,
each calling its service, the deadlines before and after, a refusal kept on the field,
and the history in words with staff names (C2 L1 L2 L3)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, Stage
from tests.complaints.factories import file_one

pytestmark = pytest.mark.django_db


def change_url(complaint):
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def desk_url(complaint, key):
    return reverse("admin:complaints_complaint_desk", args=[complaint.pk, key])


def action_keys(response):
    return [item["key"] for item in response.context["desk_actions"]]


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def filing(road_type, now):
    return file_one(road_type, now=now, arrived_at=now - timedelta(minutes=5))


def test_C2_desk_offers_only_what_this_user_may_do_now(client_for, roads_clerk, filing):
    client = client_for(roads_clerk)
    keys = action_keys(client.get(change_url(filing)))
    assert "assign_me" in keys and "advance" not in keys and "resume" not in keys
    client.post(desk_url(filing, "assign_me"))
    keys = action_keys(client.get(change_url(filing)))
    assert "assign_me" not in keys and "advance" in keys and "hold" in keys


def test_C2_desk_one_click_assign_and_advance_call_the_services(client_for, roads_clerk, filing):
    client = client_for(roads_clerk)
    response = client.post(desk_url(filing, "assign_me"))
    assert response.status_code == 302 and response["Location"] == change_url(filing)
    client.post(desk_url(filing, "advance"))
    filing.refresh_from_db()
    assert filing.owner == roads_clerk.staff_member and filing.stage == Stage.INVESTIGATING


def test_C2_desk_other_department_cannot_act(client_for, other_clerk, roads_clerk, filing):
    response = client_for(other_clerk).post(desk_url(filing, "assign_me"))
    assert response.status_code == 404
    filing.refresh_from_db()
    assert filing.owner_id is None


def test_L1_desk_extend_shows_the_new_due_time_then_acts_on_confirmation(
    client_for, roads_clerk, filing, now
):
    services.assign(filing, roads_clerk.staff_member, by=roads_clerk, now=now)
    client = client_for(roads_clerk)
    before = Complaint.objects.get(pk=filing.pk).due_at
    typed = {"extend-days": "3", "extend-reason": "현장 조사가 더 필요합니다"}
    response = client.post(desk_url(filing, "extend"), typed)
    assert response.status_code == 200
    item = next(i for i in response.context["desk_actions"] if i["key"] == "extend")
    assert item["confirming"] and item["legal_after"] > before
    assert Complaint.objects.get(pk=filing.pk).due_at == before  # nothing done yet
    response = client.post(desk_url(filing, "extend"), {**typed, "confirm": "1"})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=filing.pk).due_at == item["legal_after"]


def test_L1_desk_refused_extension_keeps_the_text_and_says_why_on_the_field(
    client_for, roads_clerk, filing, now, road_type
):
    services.assign(filing, roads_clerk.staff_member, by=roads_clerk, now=now)
    client = client_for(roads_clerk)
    too_long = str(road_type.period_days + 1)
    typed = {"extend-days": too_long, "extend-reason": "오래 걸립니다", "confirm": "1"}
    response = client.post(desk_url(filing, "extend"), typed)
    assert response.status_code == 200
    form = response.context["desk_form"]
    assert form.errors["days"] and form["reason"].value() == "오래 걸립니다"
    body = response.content.decode()
    assert "오래 걸립니다" in body and 'class="form-row errors"' in body
    assert Complaint.objects.get(pk=filing.pk).extension_count == 0


def test_L2_desk_hold_then_resume(client_for, roads_clerk, filing, now):
    services.assign(filing, roads_clerk.staff_member, by=roads_clerk, now=now)
    client = client_for(roads_clerk)
    answer_by = (timezone.localdate(now) + timedelta(days=7)).isoformat()
    typed = {"hold-reason": "사진을 보내 주세요", "hold-answer_by": answer_by, "confirm": "1"}
    assert client.post(desk_url(filing, "hold"), typed).status_code == 302
    filing.refresh_from_db()
    assert filing.stage == Stage.ON_HOLD
    assert "resume" in action_keys(client.get(change_url(filing)))
    client.post(desk_url(filing, "resume"))
    filing.refresh_from_db()
    assert filing.stage == Stage.ASSIGNED


def test_L3_desk_transfer_to_another_department(client_for, roads_clerk, filing, environment):
    client = client_for(roads_clerk)
    typed = {"transfer-department": environment.pk, "transfer-reason": "소관 부서", "confirm": "1"}
    assert client.post(desk_url(filing, "transfer"), typed).status_code == 302
    filing.refresh_from_db()
    assert filing.department == environment


def test_C2_desk_history_in_words_with_staff_names(client_for, roads_clerk, filing, now):
    services.assign(filing, roads_clerk.staff_member, by=roads_clerk, now=now)
    services.advance(filing, by=roads_clerk, now=now)
    response = client_for(roads_clerk).get(change_url(filing))
    rows = response.context["desk_history"]
    last = rows[-1]
    assert last["by"] == "김도로" and last["action"] == "다음 단계"
    assert last["from_stage"] == "담당자 배정" and last["to_stage"] == "사실 확인·조사"
    body = response.content.decode()
    assert "roads_clerk" not in body.split('id="desk-history-heading"')[1]
    assert "investigating" not in body


def test_C2_admin_header_and_priority_word(client_for, roads_clerk, filing):
    Complaint.objects.filter(pk=filing.pk).update(is_priority=True)
    body = client_for(roads_clerk).get(reverse("admin:complaints_complaint_changelist"))
    text = body.content.decode()
    assert "연천군 민원 포털 관리" in text and "Django" not in text
    assert "우선 처리" in text and "icon-no.svg" not in text
