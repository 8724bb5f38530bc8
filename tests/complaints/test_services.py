"""The stage machine and its services (C1 C2 C3 H1 H4 K3 K4 V6 O1 O2 O4 M1)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from complaints import deadlines, services
from complaints.catalogue import COMPLAINT_TYPES, seed_complaint_types
from complaints.models import (
    Action,
    Channel,
    Complaint,
    ComplaintType,
    Kind,
    PriorityReason,
    ReceiptCounter,
    Stage,
    StageEvent,
)
from complaints.services import ALLOWED, FilingExcluded, TransitionRefused
from notifications.models import EmailMessage, SmsMessage
from tests.complaints.factories import NOW, ComplaintTypeFactory, file_one, intake_for

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def sms_keys():
    return set(SmsMessage.objects.values_list("key", flat=True))


def walk_to(complaint, stage, clerk, verifier, now=NOW):
    """Take a filing through the machine to `stage`."""
    member = clerk.staff_member
    order = [Stage.ASSIGNED, Stage.INVESTIGATING, Stage.VERIFYING, Stage.CORRECTING]
    for i, target in enumerate(order, start=1):
        if complaint.stage == stage:
            break
        at = now + i * HOUR
        if target == Stage.ASSIGNED:
            complaint = services.assign(complaint, member, by=clerk, now=at)
        else:
            by = verifier if complaint.stage == Stage.VERIFYING else clerk
            complaint = services.advance(complaint, by=by, now=at)
    assert complaint.stage == stage
    return complaint


# --- Filing and receipt numbers ------------------------------------------------------
def test_C2_O2_filing_sets_receipt_number_legal_and_stage_due(road_type):
    complaint = file_one(road_type)
    assert complaint.receipt_number == "2026-000001"
    assert complaint.stage == Stage.RECEIVED
    assert complaint.received_at == complaint.arrived_at == NOW
    assert complaint.due_at == deadlines.legal_due_at(NOW, 7)
    assert complaint.stage_due_at == deadlines.add_working_days(NOW, 1)
    event = complaint.events.get()
    assert (event.action, event.from_stage, event.to_stage) == (Action.FILE, "", Stage.RECEIVED)
    assert event.due_at == complaint.stage_due_at


def test_C2_receipt_numbers_are_consecutive_and_restart_each_year(road_type):
    first = file_one(road_type)
    second = file_one(road_type)
    next_year = file_one(road_type, arrived_at=NOW.replace(year=2027), now=NOW.replace(year=2027))
    assert [first.receipt_number, second.receipt_number] == ["2026-000001", "2026-000002"]
    assert next_year.receipt_number == "2027-000001"
    assert ReceiptCounter.objects.get(year=2026).last == 2


def test_C2_failed_filing_gives_its_number_back(road_type):
    with pytest.raises(ValidationError):
        file_one(road_type, title="")
    assert file_one(road_type).receipt_number == "2026-000001"


def test_C3_every_channel_files_the_same_way(road_type, roads_clerk):
    for channel in Channel.values:
        complaint = file_one(road_type, channel=channel, by=roads_clerk)
        assert complaint.channel == channel
    assert Complaint.objects.count() == len(Channel.values)


def test_C3_clerk_filing_records_arrival_and_receipt(road_type, roads_clerk):
    arrived = NOW - 2 * HOUR
    complaint = file_one(
        road_type,
        channel=Channel.VISIT,
        arrived_at=arrived,
        received_at=NOW - HOUR,
        by=roads_clerk,
    )
    assert complaint.arrived_at == arrived
    assert complaint.received_at == NOW - HOUR
    assert complaint.created_by == roads_clerk


def test_C3_receipt_before_arrival_is_refused(road_type, roads_clerk):
    with pytest.raises(ValidationError) as exc:
        file_one(road_type, channel=Channel.VISIT, arrived_at=NOW, received_at=NOW - HOUR)
    assert "received_at" in exc.value.message_dict
    assert not Complaint.objects.exists()


def test_C3_web_filing_is_received_on_arrival(road_type):
    complaint = file_one(road_type, channel=Channel.WEB, received_at=NOW + 5 * HOUR)
    assert complaint.received_at == complaint.arrived_at == NOW


def test_C1_K4_kind_comes_from_the_type(lead_department):
    service = ComplaintTypeFactory(
        kind=Kind.SERVICE, handling_department=lead_department, code="svc"
    )
    suggestion = ComplaintTypeFactory(
        kind=Kind.SUGGESTION, handling_department=lead_department, code="sug"
    )
    assert file_one(service).kind == Kind.SERVICE
    assert file_one(suggestion).kind == Kind.SUGGESTION


def test_H1_owner_chosen_at_intake_routes_the_department(road_type, other_clerk, roads_clerk):
    complaint = file_one(
        road_type, channel=Channel.VISIT, owner=other_clerk.staff_member, by=roads_clerk
    )
    assert complaint.department == other_clerk.staff_member.department
    assert complaint.owner == other_clerk.staff_member
    assert complaint.stage == Stage.ASSIGNED
    assert list(complaint.events.values_list("action", flat=True)) == [Action.FILE, Action.ASSIGN]


def test_H4_assisted_filing_needs_the_citizens_confirmation(road_type, roads_clerk):
    with pytest.raises(ValidationError) as exc:
        file_one(road_type, channel=Channel.VISIT, assisted_by=roads_clerk, by=roads_clerk)
    assert "citizen_confirmed" in exc.value.message_dict
    complaint = file_one(
        road_type,
        channel=Channel.VISIT,
        assisted_by=roads_clerk,
        citizen_confirmed=True,
        by=roads_clerk,
    )
    assert complaint.assisted_by == roads_clerk
    assert complaint.citizen_confirmed
    assert "대신 작성" in complaint.events.get(action=Action.FILE).note


# --- K3 exclusions -------------------------------------------------------------------
@pytest.mark.parametrize(
    "facts",
    [
        {"name": ""},
        {"name": "익명"},
        {"address": ""},
        {"address": "모름"},
        {"filer_type": "agency"},
        {"filer_type": "public_body"},
        {"filer_type": "contractor", "about_contract": True},
    ],
)
def test_K3_web_filing_excluded_stores_nothing(road_type, facts):
    with pytest.raises(FilingExcluded) as exc:
        file_one(road_type, **facts)
    assert "법률" in exc.value.exclusion.law
    assert exc.value.exclusion.where_to_turn
    assert not Complaint.objects.exists()
    assert not ReceiptCounter.objects.exists()
    assert not SmsMessage.objects.exists()


def test_K3_agency_as_private_party_and_contractor_on_other_matters_are_complaints(road_type):
    assert file_one(road_type, filer_type="agency", acts_as_private_party=True).pk
    assert file_one(road_type, filer_type="contractor", about_contract=False).pk


def test_K3_clerk_intake_records_the_refusal(road_type, roads_clerk):
    complaint = file_one(road_type, channel=Channel.VISIT, name="", by=roads_clerk)
    assert complaint.stage == Stage.REFUSED
    assert "시행령 제2조" in complaint.refusal_reason or "분명하지" in complaint.refusal_reason
    assert complaint.closed_at == NOW
    assert list(complaint.events.values_list("action", flat=True)) == [Action.FILE, Action.REFUSE]
    assert not SmsMessage.objects.exists()


# --- V6 / R3 priority ----------------------------------------------------------------
def test_V6_priority_reasons_set_is_priority_and_sort_first(road_type):
    plain = file_one(road_type)
    elderly = file_one(road_type, priority_reasons=(PriorityReason.ELDERLY,))
    assert elderly.is_priority and not plain.is_priority
    assert list(Complaint.objects.order_by("-is_priority", "stage_due_at")) == [elderly, plain]


def test_V6_repeat_visit_by_official_error_is_expedited_with_apology(road_type, roads_clerk):
    complaint = file_one(
        road_type,
        channel=Channel.VISIT,
        visit_count=2,
        priority_reasons=(PriorityReason.OFFICIAL_ERROR,),
        by=roads_clerk,
    )
    assert complaint.is_priority
    assert "죄송합니다" in complaint.events.get(action=Action.FILE).note


def test_V6_unknown_priority_reason_is_refused(road_type):
    with pytest.raises(ValidationError):
        file_one(road_type, priority_reasons=("vip",))


# --- C2 stage machine ----------------------------------------------------------------
def test_C2_full_life_writes_an_event_per_transition(road_type, roads_clerk, verifier):
    complaint = walk_to(file_one(road_type), Stage.CORRECTING, roads_clerk, verifier)
    complaint = services.close_with_result(
        complaint, result_text="보수했습니다.", by=roads_clerk, now=NOW + 10 * HOUR
    )
    assert complaint.stage == Stage.NOTIFIED
    assert complaint.closed_at == NOW + 10 * HOUR
    events = list(complaint.events.values_list("from_stage", "to_stage"))
    assert events == [
        ("", Stage.RECEIVED),
        (Stage.RECEIVED, Stage.ASSIGNED),
        (Stage.ASSIGNED, Stage.INVESTIGATING),
        (Stage.INVESTIGATING, Stage.VERIFYING),
        (Stage.VERIFYING, Stage.CORRECTING),
        (Stage.CORRECTING, Stage.NOTIFIED),
    ]
    assert all(e.by is not None for e in complaint.events.exclude(action=Action.FILE))


@pytest.mark.parametrize(
    ("stage", "key"),
    [
        # Investigation starts at assignment: its budget runs from then (C2).
        (Stage.ASSIGNED, "investigating"),
        (Stage.VERIFYING, "verifying"),
        (Stage.CORRECTING, "correcting"),
    ],
)
def test_C2_stage_due_time_comes_from_the_clock(road_type, roads_clerk, verifier, stage, key):
    complaint = walk_to(file_one(road_type), stage, roads_clerk, verifier)
    expected = min(deadlines.stage_due_at(complaint.stage_entered_at, key), complaint.due_at)
    assert complaint.stage_due_at == expected
    assert complaint.events.last().due_at == expected


def test_C2_assigned_stage_adds_no_day_of_its_own(road_type, roads_clerk, verifier):
    """Receipt → assignment ≤ 1 day, then the two days of investigation run from the
    assignment, also through the move to "investigating"."""
    complaint = walk_to(file_one(road_type), Stage.ASSIGNED, roads_clerk, verifier)
    assigned_at = complaint.stage_entered_at
    assert complaint.stage_due_at == deadlines.stage_due_at(assigned_at, "investigating")
    complaint = services.advance(complaint, by=roads_clerk, now=assigned_at + 5 * HOUR)
    assert complaint.stage == Stage.INVESTIGATING
    assert complaint.stage_due_at == deadlines.stage_due_at(assigned_at, "investigating")


def test_C2_illegal_transition_is_refused_with_a_korean_message(road_type, roads_clerk):
    complaint = file_one(road_type)
    with pytest.raises(TransitionRefused) as exc:
        services.advance(complaint, by=roads_clerk, now=NOW)
    assert "단계에서는" in exc.value.message
    with pytest.raises(TransitionRefused):
        services.close_with_result(complaint, result_text="끝", by=roads_clerk, now=NOW)
    complaint.refresh_from_db()
    assert complaint.stage == Stage.RECEIVED
    assert complaint.events.count() == 1


def test_C2_transition_table_has_no_way_out_of_closed_stages():
    for table in ALLOWED.values():
        assert Stage.NOTIFIED not in table
        assert Stage.REFUSED not in table


def test_C2_verifying_belongs_to_the_lead_department(road_type, roads_clerk, verifier):
    complaint = walk_to(file_one(road_type), Stage.VERIFYING, roads_clerk, verifier)
    with pytest.raises(TransitionRefused) as exc:
        services.advance(complaint, by=roads_clerk, now=NOW + 9 * HOUR)
    assert exc.value.code == "lead_only"
    assert services.advance(complaint, by=verifier, now=NOW + 9 * HOUR).stage == Stage.CORRECTING


def test_C2_clerk_of_another_department_cannot_act(road_type, other_clerk, roads_clerk):
    complaint = file_one(road_type)
    with pytest.raises(TransitionRefused):
        services.assign(complaint, roads_clerk.staff_member, by=other_clerk, now=NOW)


def test_C2_assign_to_another_departments_clerk_needs_a_transfer(
    road_type, roads_clerk, other_clerk
):
    complaint = file_one(road_type)
    with pytest.raises(TransitionRefused) as exc:
        services.assign(complaint, other_clerk.staff_member, by=roads_clerk, now=NOW)
    assert exc.value.code == "other_department"


def test_C2_hold_stops_the_clock_and_resume_restores_the_remaining_time(
    road_type, roads_clerk, verifier
):
    complaint = walk_to(file_one(road_type), Stage.INVESTIGATING, roads_clerk, verifier)
    due_before = complaint.due_at
    held = NOW + 3 * HOUR
    complaint = services.put_on_hold(
        complaint, reason="사진이 필요합니다", answer_by=held + 7 * DAY, by=roads_clerk, now=held
    )
    assert complaint.stage == Stage.ON_HOLD
    assert not Complaint.objects.overdue(NOW + timedelta(days=60)).exists()
    resumed = held + timedelta(days=7)
    complaint = services.resume(complaint, by=roads_clerk, now=resumed)
    assert complaint.stage == Stage.INVESTIGATING
    assert complaint.due_at == deadlines.resumed_due_at(due_before, held, resumed, period_days=7)
    assert complaint.due_at > due_before


def test_C2_hold_needs_a_reason(road_type, roads_clerk, verifier):
    complaint = walk_to(file_one(road_type), Stage.ASSIGNED, roads_clerk, verifier)
    with pytest.raises(TransitionRefused):
        services.put_on_hold(
            complaint, reason="  ", answer_by=NOW + 7 * DAY, by=roads_clerk, now=NOW
        )


def test_C2_extend_once_within_the_period(road_type, roads_clerk, verifier):
    complaint = walk_to(file_one(road_type), Stage.INVESTIGATING, roads_clerk, verifier)
    due = complaint.due_at
    with pytest.raises(TransitionRefused):
        services.extend(complaint, days=8, reason="현장 조사", by=roads_clerk, now=NOW)
    complaint = services.extend(complaint, days=5, reason="현장 조사", by=roads_clerk, now=NOW)
    assert complaint.due_at == deadlines.extended_due_at(due, 7, 5)
    assert complaint.extension_count == 1
    with pytest.raises(TransitionRefused) as exc:
        services.extend(complaint, days=2, reason="다시", by=roads_clerk, now=NOW)
    assert "동의" in exc.value.message


def test_C2_transfer_within_the_limit_moves_the_department(road_type, roads_clerk, environment):
    complaint = file_one(road_type)
    complaint = services.transfer(
        complaint, environment, reason="쓰레기 민원입니다", by=roads_clerk, now=NOW + HOUR
    )
    assert complaint.department == environment
    assert complaint.stage == Stage.RECEIVED
    assert complaint.owner is None
    assert complaint.due_at == deadlines.legal_due_at(NOW, 7)


def test_C2_late_transfer_only_by_the_lead_department(
    road_type, roads_clerk, verifier, environment
):
    complaint = file_one(road_type)
    late = NOW + timedelta(days=2)
    with pytest.raises(TransitionRefused) as exc:
        services.transfer(complaint, environment, reason="이송", by=roads_clerk, now=late)
    assert "제13조" in exc.value.message
    complaint = services.transfer(complaint, environment, reason="이송", by=verifier, now=late)
    assert "기한 경과" in complaint.events.last().note


def test_C2_refuse_records_the_reason(road_type, roads_clerk):
    complaint = services.refuse(file_one(road_type), reason="중복 민원", by=roads_clerk, now=NOW)
    assert complaint.stage == Stage.REFUSED
    assert complaint.refusal_reason == "중복 민원"


# --- O4 citizen notices --------------------------------------------------------------
def test_O4_sms_at_receipt_assignment_hold_extension_and_result_once_each(
    road_type, roads_clerk, verifier
):
    complaint = file_one(road_type)
    assert sms_keys() == {f"complaint:{complaint.pk}:receipt"}
    receipt = SmsMessage.objects.get()
    assert complaint.receipt_number in receipt.body
    assert "건설과" in receipt.body and "031-839-2300" in receipt.body
    assert "/complaints/track/" in receipt.body
    complaint = walk_to(complaint, Stage.INVESTIGATING, roads_clerk, verifier)
    assigned = SmsMessage.objects.get(key__contains=":assigned:")
    assert "김도로" in assigned.body and "031-839-2314" in assigned.body
    complaint = services.put_on_hold(
        complaint, reason="사진 필요", answer_by=NOW + 7 * DAY, by=roads_clerk, now=NOW
    )
    complaint = services.resume(complaint, by=roads_clerk, now=NOW + HOUR)
    complaint = services.extend(complaint, days=3, reason="현장 조사", by=roads_clerk, now=NOW)
    assert "현장 조사" in SmsMessage.objects.get(key__contains=":extended:").body
    complaint = services.advance(complaint, by=roads_clerk, now=NOW + 2 * HOUR)
    services.close_with_result(complaint, result_text="보수 완료", by=verifier, now=NOW + 3 * HOUR)
    kinds = sorted(k.split(":")[2] for k in sms_keys())
    assert kinds == ["assigned", "extended", "hold", "receipt", "result"]
    assert all(m.to == "+821012345678" for m in SmsMessage.objects.all())


def test_O4_no_sms_without_consent_or_for_short_periods(road_type, short_type):
    file_one(road_type, sms_consent=False)
    file_one(short_type)
    assert not SmsMessage.objects.exists()


def test_O4_sms_texts_are_short(road_type, roads_clerk):
    file_one(road_type)
    body = SmsMessage.objects.get().body
    without_link = body.split(" 조회 ")[0]
    assert len(without_link) <= 90


def test_O4_result_email_when_address_given(road_type, roads_clerk, verifier):
    complaint = walk_to(file_one(road_type), Stage.CORRECTING, roads_clerk, verifier)
    services.close_with_result(complaint, result_text="보수 완료", by=roads_clerk, now=NOW)
    mail = EmailMessage.objects.get(to="hong@example.com")
    assert "보수 완료" in mail.body and "건설과" in mail.body


# --- M1 paper filings ----------------------------------------------------------------
@pytest.fixture
def reachable_head(roads_head):
    member = roads_head.staff_member
    member.mobile = "+821099998888"
    member.email = "head@yeoncheon.go.kr"
    member.save()
    return roads_head


@pytest.mark.parametrize("channel", [Channel.LETTER, Channel.FAX])
def test_M1_letter_and_fax_notify_the_owner_at_once(
    road_type, reachable_head, roads_clerk, channel
):
    complaint = file_one(
        road_type,
        channel=channel,
        received_at=NOW - 20 * timedelta(minutes=1),
        arrived_at=NOW - HOUR,
        by=roads_clerk,
    )
    assert complaint.owner == reachable_head.staff_member
    assert complaint.owner_notified_at == NOW
    assert complaint.notice_delay_minutes == 20
    assert SmsMessage.objects.filter(to="+821099998888").count() == 1
    assert EmailMessage.objects.filter(to="head@yeoncheon.go.kr").count() == 1
    assert not Complaint.objects.m1_breaches(NOW).exists()


def test_M1_notice_later_than_an_hour_is_a_breach(road_type, reachable_head, roads_clerk):
    late = file_one(
        road_type,
        channel=Channel.LETTER,
        arrived_at=NOW - 2 * HOUR,
        received_at=NOW - 90 * timedelta(minutes=1),
        by=roads_clerk,
    )
    assert late.notice_delay_minutes == 90
    assert list(Complaint.objects.m1_breaches()) == [late]


def test_M1_visit_filings_are_not_counted(road_type, reachable_head, roads_clerk):
    file_one(
        road_type,
        channel=Channel.VISIT,
        received_at=NOW - 3 * HOUR,
        arrived_at=NOW - 3 * HOUR,
        owner=reachable_head.staff_member,
        by=roads_clerk,
    )
    assert not Complaint.objects.m1_breaches(NOW).exists()


# --- Overdue and progress (periodic) -------------------------------------------------
def test_C2_overdue_notifies_owner_then_head_a_working_day_later(
    road_type, roads_clerk, reachable_head, verifier
):
    from complaints.tasks import mark_overdue_stages

    clerk = roads_clerk.staff_member
    clerk.mobile = "+821011112222"
    clerk.save()
    complaint = walk_to(file_one(road_type), Stage.INVESTIGATING, roads_clerk, verifier)
    assert mark_overdue_stages(complaint.stage_due_at - HOUR) == 0
    after = complaint.stage_due_at + timedelta(minutes=1)
    assert mark_overdue_stages(after) == 1
    assert mark_overdue_stages(after + timedelta(minutes=15)) == 0
    complaint.refresh_from_db()
    assert complaint.is_overdue
    assert SmsMessage.objects.filter(to="+821011112222", key__contains="overdue").count() == 1
    assert not SmsMessage.objects.filter(key__contains="escalated").exists()
    later = deadlines.add_working_days(complaint.stage_due_at, 1)
    assert mark_overdue_stages(later) == 1
    assert SmsMessage.objects.filter(to="+821099998888", key__contains="escalated").count() == 1
    assert mark_overdue_stages(later + HOUR) == 0
    actions = list(complaint.events.values_list("action", flat=True))
    assert actions.count(Action.OVERDUE) == 1 and actions.count(Action.ESCALATE) == 1
    assert Complaint.objects.overdue(later).get() == complaint


def test_C2_progress_notice_after_30_days_and_every_30_days(road_type):
    from complaints.tasks import send_progress_notices

    complaint = file_one(road_type)
    assert send_progress_notices(NOW + timedelta(days=29)) == 0
    assert send_progress_notices(NOW + timedelta(days=30)) == 1
    assert send_progress_notices(NOW + timedelta(days=31)) == 0
    assert send_progress_notices(NOW + timedelta(days=60)) == 1
    keys = {k for k in sms_keys() if ":progress:" in k}
    assert keys == {f"complaint:{complaint.pk}:progress:1", f"complaint:{complaint.pk}:progress:2"}


def test_periodic_tasks_are_scheduled():
    from django_celery_beat.models import PeriodicTask

    tasks = {t.task: t for t in PeriodicTask.objects.filter(task__startswith="complaints.")}
    assert tasks["complaints.mark_overdue"].interval.every == 15
    crontab = tasks["complaints.progress_notices"].crontab
    assert (crontab.hour, crontab.minute, str(crontab.timezone)) == ("9", "0", "Asia/Seoul")


# --- O1 types ------------------------------------------------------------------------
def test_O1_seeded_types_list_what_the_office_looks_up(roads, lead_department):
    seed_complaint_types()
    assert seed_complaint_types() == 0
    certificates = ComplaintType.objects.get(code="certificate-inquiry")
    assert "주민등록표 등본" in certificates.office_lookup_list()
    assert ComplaintType.objects.get(code="road-damage").handling_department == roads
    periods = {seed.period_days for seed in COMPLAINT_TYPES}
    assert any(p <= 5 for p in periods) and {7, 14} <= periods
    kinds = {seed.kind for seed in COMPLAINT_TYPES}
    assert kinds == set(Kind.values)


# --- Query counts --------------------------------------------------------------------
@pytest.mark.parametrize("existing", [3, 30])
def test_file_complaint_query_count_does_not_grow(
    road_type, roads_clerk, django_assert_max_num_queries, existing
):
    for _ in range(existing):
        file_one(road_type)
    with django_assert_max_num_queries(18):
        file_one(road_type)


def test_service_refuses_bad_intake_without_storing(road_type):
    bad = intake_for(road_type, title="x" * 201, content="", phone="12", email="nope")
    with pytest.raises(ValidationError) as exc:
        services.file_complaint(bad, by=None, now=NOW)
    assert {"title", "content", "phone", "email"} <= set(exc.value.message_dict)
    assert not Complaint.objects.exists()
    assert not StageEvent.objects.exists()
