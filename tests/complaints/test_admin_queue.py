"""The clerks' admin queue: scope, columns, search, actions, access log (C2 V6 M1)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import AccessAction, AccessLog, Complaint, PriorityReason, Stage
from tests.complaints import files
from tests.complaints.factories import file_one

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:complaints_complaint_changelist")


def change_url(complaint):
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def receipts_in(response):
    return [c.receipt_number for c in response.context["cl"].result_list]


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def roads_complaint(road_type, now):
    return file_one(
        road_type,
        now=now,
        arrived_at=now - timedelta(minutes=5),
        attachments=(files.upload("사진.png", files.PNG),),
    )


@pytest.fixture
def env_complaint(env_type, now):
    return file_one(env_type, now=now, arrived_at=now - timedelta(minutes=4), name="김환경")


# --- Scope ---------------------------------------------------------------------------
def test_C2_queue_anonymous_is_sent_to_login(client, roads_complaint):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_C2_queue_outsider_is_sent_to_login(client_for, outsider, roads_complaint):
    response = client_for(outsider).get(CHANGELIST)
    assert response.status_code == 302


def test_C2_queue_clerk_sees_own_department_only(
    client_for, roads_clerk, other_clerk, roads_complaint, env_complaint
):
    assert receipts_in(client_for(roads_clerk).get(CHANGELIST)) == [roads_complaint.receipt_number]
    assert receipts_in(client_for(other_clerk).get(CHANGELIST)) == [env_complaint.receipt_number]


def test_C2_queue_verifier_sees_verifying_stage_of_all(
    client_for, verifier, roads_clerk, roads_complaint, env_complaint, now
):
    assert receipts_in(client_for(verifier).get(CHANGELIST)) == []
    member = roads_clerk.staff_member
    c = services.assign(roads_complaint, member, by=roads_clerk, now=now)
    c = services.advance(c, by=roads_clerk, now=now)
    services.advance(c, by=roads_clerk, now=now)
    assert receipts_in(client_for(verifier).get(CHANGELIST)) == [roads_complaint.receipt_number]


def test_C2_queue_manager_and_superuser_see_all(
    client_for, manager, superuser, roads_complaint, env_complaint
):
    for user in (manager, superuser):
        assert sorted(receipts_in(client_for(user).get(CHANGELIST))) == sorted(
            [roads_complaint.receipt_number, env_complaint.receipt_number]
        )


def test_C2_manager_reads_but_gets_no_actions(client_for, manager, roads_complaint):
    response = client_for(manager).get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["action_form"] is None or not response.context["cl"].actions


# --- Detail and access log -----------------------------------------------------------
def test_C2_detail_clerk_of_department_opens_it_and_is_logged(
    client_for, roads_clerk, roads_complaint
):
    response = client_for(roads_clerk).get(change_url(roads_complaint), REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    body = response.content.decode()
    assert "홍길동" in body and "+821012345678" in body
    log = AccessLog.objects.get()
    assert (log.user, log.complaint, log.action, log.ip_address) == (
        roads_clerk,
        roads_complaint,
        AccessAction.VIEW,
        "10.0.0.7",
    )
    # the history is there, read-only
    assert "처리 이력" in body
    assert "사실 확인" not in body or "events-" in body
    assert 'name="events-0-note"' not in body


@pytest.mark.parametrize("who", ["other_clerk", "verifier"])
def test_C2_detail_refused_to_other_departments_without_log(
    client_for, request, who, roads_complaint
):
    user = request.getfixturevalue(who)
    response = client_for(user).get(change_url(roads_complaint))
    assert response.status_code == 302  # the admin says "does not exist"
    assert "홍길동" not in response.content.decode()
    assert not AccessLog.objects.exists()


def test_C2_detail_anonymous_is_sent_to_login(client, roads_complaint):
    assert client.get(change_url(roads_complaint)).status_code == 302


def test_C2_detail_manager_reads_and_is_logged(client_for, manager, roads_complaint):
    assert client_for(manager).get(change_url(roads_complaint)).status_code == 200
    assert AccessLog.objects.filter(user=manager).count() == 1


# --- Columns -------------------------------------------------------------------------
def test_V6_list_masks_names_and_sorts_priority_first(
    client_for, roads_clerk, road_type, roads_complaint, now
):
    urgent = file_one(
        road_type,
        now=now,
        arrived_at=now - timedelta(minutes=1),
        name="박순자",
        priority_reasons=(PriorityReason.DISABILITY,),
    )
    response = client_for(roads_clerk).get(CHANGELIST)
    assert receipts_in(response) == [urgent.receipt_number, roads_complaint.receipt_number]
    body = response.content.decode()
    assert "홍*동" in body and "박*자" in body
    assert "홍길동" not in body


def test_C2_overdue_stage_is_flagged_in_the_list(client_for, roads_clerk, roads_complaint):
    Complaint.objects.filter(pk=roads_complaint.pk).update(
        stage_due_at=timezone.now() - timedelta(hours=1)
    )
    response = client_for(roads_clerk).get(CHANGELIST)
    assert "due-overdue" in response.content.decode()
    overdue = client_for(roads_clerk).get(CHANGELIST, {"overdue": "yes"})
    assert receipts_in(overdue) == [roads_complaint.receipt_number]
    assert receipts_in(client_for(roads_clerk).get(CHANGELIST, {"overdue": "no"})) == []


def test_C2_filters_by_stage_channel_type_priority(client_for, roads_clerk, roads_complaint):
    client = client_for(roads_clerk)
    for params in (
        {"stage__exact": "received"},
        {"channel__exact": "web"},
        {"complaint_type__id__exact": roads_complaint.complaint_type_id},
        {"is_priority__exact": "0"},
    ):
        assert receipts_in(client.get(CHANGELIST, params)) == [roads_complaint.receipt_number]
    assert receipts_in(client.get(CHANGELIST, {"stage__exact": "notified"})) == []


# --- Search --------------------------------------------------------------------------
@pytest.mark.parametrize("term", ["010-1234-5678", "01012345678", "+82 10 1234 5678"])
def test_C2_search_by_phone_is_exact_on_the_normalised_number(
    client_for, roads_clerk, roads_complaint, term
):
    response = client_for(roads_clerk).get(CHANGELIST, {"q": term})
    assert receipts_in(response) == [roads_complaint.receipt_number]


def test_C2_search_by_receipt_number(client_for, roads_clerk, roads_complaint):
    short = roads_complaint.receipt_number.replace("-00000", "-")
    for term in (roads_complaint.receipt_number, short):
        assert receipts_in(client_for(roads_clerk).get(CHANGELIST, {"q": term})) == [
            roads_complaint.receipt_number
        ]
    assert receipts_in(client_for(roads_clerk).get(CHANGELIST, {"q": "<script>"})) == []


def test_C2_search_never_crosses_departments(client_for, other_clerk, roads_complaint):
    client = client_for(other_clerk)
    assert receipts_in(client.get(CHANGELIST, {"q": roads_complaint.receipt_number})) == []
    assert receipts_in(client.get(CHANGELIST, {"q": "010-1234-5678"})) == []


# --- Actions -------------------------------------------------------------------------
def post_action(client, action, complaints, **extra):
    data = {"action": action, "_selected_action": [c.pk for c in complaints], **extra}
    return client.post(CHANGELIST, data)


def test_C2_actions_assign_advance_hold_resume_close(
    client_for, roads_clerk, verifier, roads_complaint
):
    client = client_for(roads_clerk)
    post_action(client, "assign_to_me", [roads_complaint])
    roads_complaint.refresh_from_db()
    assert roads_complaint.stage == Stage.ASSIGNED
    assert roads_complaint.owner == roads_clerk.staff_member

    post_action(client, "advance", [roads_complaint])
    roads_complaint.refresh_from_db()
    assert roads_complaint.stage == Stage.INVESTIGATING

    form = post_action(client, "put_on_hold", [roads_complaint])
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    answer_by = (timezone.now() + timedelta(days=7)).date().isoformat()
    post_action(
        client,
        "put_on_hold",
        [roads_complaint],
        apply="1",
        reason="현장 사진 필요",
        answer_by=answer_by,
    )
    roads_complaint.refresh_from_db()
    assert roads_complaint.stage == Stage.ON_HOLD
    assert roads_complaint.hold_reason == "현장 사진 필요"

    post_action(client, "resume", [roads_complaint])
    post_action(client, "advance", [roads_complaint])
    roads_complaint.refresh_from_db()
    assert roads_complaint.stage == Stage.VERIFYING

    # the clerk cannot verify: the message says why, nothing changes
    response = post_action(client, "advance", [roads_complaint])
    roads_complaint.refresh_from_db()
    assert roads_complaint.stage == Stage.VERIFYING
    follow = client.get(response["Location"])
    assert "주관부서" in follow.content.decode()

    verifier_client = client_for(verifier)
    post_action(
        verifier_client, "close_with_result", [roads_complaint], apply="1", result_text="보수 완료"
    )
    roads_complaint.refresh_from_db()
    assert roads_complaint.stage == Stage.NOTIFIED
    assert roads_complaint.result_text == "보수 완료"


def test_C2_close_form_needs_a_result(client_for, roads_clerk, roads_complaint):
    client = client_for(roads_clerk)
    response = post_action(client, "close_with_result", [roads_complaint], apply="1")
    assert response.status_code == 200
    assert "필수" in response.content.decode() or "required" in response.content.decode()


def test_C2_actions_never_reach_other_departments(client_for, other_clerk, roads_complaint):
    post_action(client_for(other_clerk), "assign_to_me", [roads_complaint])
    roads_complaint.refresh_from_db()
    assert roads_complaint.stage == Stage.RECEIVED


def test_admin_add_and_delete_are_closed(client_for, superuser):
    client = client_for(superuser)
    assert client.get(reverse("admin:complaints_complaint_add")).status_code == 403


# --- Attachments in the admin --------------------------------------------------------
def test_C3_change_view_links_attachments_to_the_checking_view(
    client_for, roads_clerk, roads_complaint
):
    body = client_for(roads_clerk).get(change_url(roads_complaint)).content.decode()
    item = roads_complaint.attachments.get()
    assert reverse("complaints_staff:attachment", args=[item.pk]) in body
    assert "/media/" not in body


# --- Query counts --------------------------------------------------------------------
@pytest.mark.parametrize("count", [3, 30])
def test_C2_queue_query_count_does_not_grow(
    client_for, roads_clerk, road_type, now, count, django_assert_max_num_queries
):
    member = roads_clerk.staff_member
    for i in range(count):
        c = file_one(road_type, now=now, arrived_at=now - timedelta(minutes=i))
        if i % 2:
            services.assign(c, member, by=roads_clerk, now=now)
    client = client_for(roads_clerk)
    client.get(CHANGELIST)
    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST)
    assert len(receipts_in(response)) == count


@pytest.mark.parametrize("events", [3, 30])
def test_C2_change_view_query_count_does_not_grow_with_events(
    client_for, roads_clerk, roads_complaint, now, events, django_assert_max_num_queries
):
    member = roads_clerk.staff_member
    c = services.assign(roads_complaint, member, by=roads_clerk, now=now)
    for _ in range(events // 2):
        c = services.put_on_hold(
            c, reason="보완", answer_by=now + timedelta(days=7), by=roads_clerk, now=now
        )
        c = services.resume(c, by=roads_clerk, now=now)
    client = client_for(roads_clerk)
    # The desk adds the history (one query), the queue neighbours and the choices of
    # its forms (departments, agencies): a fixed number, whatever the events.
    with django_assert_max_num_queries(19):
        client.get(change_url(roads_complaint))


def test_C2_actions_extend_transfer_refuse(client_for, roads_clerk, roads_complaint, environment):
    client = client_for(roads_clerk)
    post_action(client, "assign_to_me", [roads_complaint])
    due = Complaint.objects.get(pk=roads_complaint.pk).due_at
    post_action(client, "extend", [roads_complaint], apply="1", days="3", reason="현장 조사")
    roads_complaint.refresh_from_db()
    assert roads_complaint.extension_count == 1 and roads_complaint.due_at > due
    post_action(
        client, "transfer", [roads_complaint], apply="1", department=environment.pk, reason="소관"
    )
    roads_complaint.refresh_from_db()
    assert roads_complaint.department == environment
    other = client_for(roads_clerk)
    assert receipts_in(other.get(CHANGELIST)) == []


def test_C2_refuse_action(client_for, roads_clerk, roads_complaint):
    client = client_for(roads_clerk)
    post_action(client, "refuse", [roads_complaint], apply="1", reason="중복 민원입니다")
    roads_complaint.refresh_from_db()
    assert roads_complaint.stage == Stage.REFUSED
    assert roads_complaint.refusal_reason == "중복 민원입니다"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_queue_selection_box_is_djangos_own_markup(roads_complaint, language):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin
    from django.utils import translation

    queue = admin.site._registry[Complaint]
    with translation.override(language):
        assert queue.action_checkbox(roads_complaint) == ModelAdmin.action_checkbox(
            queue, roads_complaint
        )
