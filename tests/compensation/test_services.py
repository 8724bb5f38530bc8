"""Payout services (R1–R6): propose, approve, reject, pay, edit a rule."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation

from compensation import services
from compensation.models import (
    CompensationRuleVersion,
    Payout,
    PayoutKind,
    PayoutState,
    TrainingRecord,
)
from compensation.rules import AmountError
from complaints.models import Action, Complaint, Kind, StageEvent
from notifications.models import SmsMessage
from tests.compensation.conftest import NOW
from tests.complaints.factories import ComplaintTypeFactory, file_one

pytestmark = pytest.mark.django_db


def test_R6_rules_seeded_with_the_standard_amounts(rule):
    assert rule("R1").amount is None and rule("R1").allows_transfer
    assert rule("R2").amount == 10_000
    assert (rule("R3").amount_resident, rule("R3").amount_nonresident) == (5_000, 10_000)
    assert rule("R4").amount == 10_000 and rule("R5").amount == 10_000
    assert CompensationRuleVersion.objects.filter(version=1).count() == 5


def test_R1_clerk_proposes_goods_at_actual_cost(file_case, roads_clerk):
    case = file_case()
    payout = services.propose_payout(case, "R1", by=roads_clerk, now=NOW, amount=23_500)
    assert (payout.amount, payout.kind, payout.state) == (23_500, "goods", PayoutState.PROPOSED)
    assert payout.recipient_phone == "+821012345678"
    assert payout.proposed_by == roads_clerk and payout.department == case.department


def test_R1_bank_transfer_keeps_account_only_until_paid(file_case, roads_clerk, manager):
    case = file_case()
    payout = services.propose_payout(
        case,
        "R1",
        by=roads_clerk,
        now=NOW,
        amount=12_000,
        kind="transfer",
        bank_name="농협",
        bank_account="301-1234-5678-91",
        bank_holder="홍길동",
    )
    assert payout.kind == PayoutKind.TRANSFER and payout.has_bank_details
    services.approve_payout(payout, by=manager, now=NOW)
    paid = services.mark_paid(payout, by=manager, now=NOW + timedelta(days=3), reference="이체")
    paid.refresh_from_db()
    assert paid.state == PayoutState.PAID and paid.paid_by == manager
    assert (paid.bank_name, paid.bank_account, paid.bank_holder) == ("", "", "")


@pytest.mark.parametrize(
    ("language", "message"), [("ko", "계좌번호: "), ("en", "at most 30 characters (it has 31)")]
)
def test_R1_over_long_account_number_refused_never_cut(file_case, roads_clerk, language, message):
    """A shortened account number is a wrong account: 31 characters are refused with
    the field's name, in Korean and in English, and nothing is saved."""
    with translation.override(language), pytest.raises(services.CompensationError) as refused:
        services.propose_payout(
            file_case(),
            "R1",
            by=roads_clerk,
            now=NOW,
            amount=5_000,
            kind="transfer",
            bank_name="농협",
            bank_account="3" * 31,
            bank_holder="홍길동",
        )
    assert message in str(refused.value)
    assert not Payout.objects.exists()


def test_R1_over_long_payment_reference_refused_never_cut(file_case, roads_clerk, manager):
    payout = services.propose_payout(file_case(), "R1", by=roads_clerk, now=NOW, amount=5_000)
    services.approve_payout(payout, by=manager, now=NOW)
    with pytest.raises(services.CompensationError, match="지급 증빙"):
        services.mark_paid(payout, by=manager, now=NOW, reference="가" * 101)
    payout.refresh_from_db()
    assert payout.state == PayoutState.APPROVED and payout.payment_reference == ""


def test_R1_transfer_without_account_refused(file_case, roads_clerk):
    with pytest.raises(services.CompensationError):
        services.propose_payout(
            file_case(), "R1", by=roads_clerk, now=NOW, amount=5_000, kind="transfer"
        )
    assert not Payout.objects.exists()


@pytest.mark.parametrize("amount", [None, 0, -10_000, 1_000_001, 50_000_000])
def test_R1_negative_or_absurd_amounts_refused(file_case, roads_clerk, amount):
    with pytest.raises(AmountError):
        services.propose_payout(file_case(), "R1", by=roads_clerk, now=NOW, amount=amount)
    assert not Payout.objects.exists()


def test_R2_clerical_error_voucher_with_correction(file_case, roads_clerk):
    payout = services.propose_payout(
        file_case(),
        "R2",
        by=roads_clerk,
        now=NOW,
        record_error=True,
        note="가족관계 기재 착오를 즉시 정정함",
    )
    assert (payout.amount, payout.kind) == (10_000, PayoutKind.VOUCHER)
    assert payout.duties == "correct_record" and "정정" in payout.note


def test_R2_fixed_amount_cannot_be_overridden(file_case, roads_clerk):
    with pytest.raises(AmountError):
        services.propose_payout(
            file_case(), "R2", by=roads_clerk, now=NOW, record_error=True, amount=99_000
        )


def test_R2_not_owed_without_the_reported_fact(file_case, roads_clerk):
    with pytest.raises(services.NotOwed):
        services.propose_payout(file_case(), "R2", by=roads_clerk, now=NOW)


def test_R4_facility_barrier_voucher(file_case, roads_clerk):
    case = file_case(priority_reasons=("disability",))
    payout = services.propose_payout(case, "R4", by=roads_clerk, now=NOW, facility_barrier=True)
    assert payout.amount == 10_000


@pytest.mark.parametrize(("resident", "amount"), [(True, 5_000), (False, 10_000)])
def test_R3_two_visits_by_official_error_owes_by_residence(file_case, resident, amount):
    case = file_case(
        channel="visit",
        visit_count=2,
        priority_reasons=("official_error",),
        lives_in_county=resident,
    )
    assert case.is_priority  # the filing is expedited at intake
    assert services.propose_automatic_payouts(NOW) == 1
    payout = Payout.objects.get(complaint=case)
    assert (payout.rule.code, payout.amount, payout.automatic) == ("R3", amount, True)
    assert "apologise" in payout.duties and "expedite" in payout.duties


def test_R3_one_visit_owes_nothing(file_case):
    file_case(channel="visit", visit_count=1, priority_reasons=("official_error",))
    file_case(channel="visit", visit_count=3)  # visits, but not an official's fault
    assert services.propose_automatic_payouts(NOW) == 0
    assert not Payout.objects.exists()


def test_R5_M1_notice_later_than_an_hour_proposed(file_case):
    late = file_case()
    on_time = file_case()
    Complaint.objects.filter(pk=late.pk).update(notice_delay_minutes=61)
    Complaint.objects.filter(pk=on_time.pk).update(notice_delay_minutes=60)
    assert services.propose_automatic_payouts(NOW) == 1
    payout = Payout.objects.get()
    assert (payout.complaint_id, payout.rule.code, payout.breaches) == (late.pk, "R5", "M1")


def test_R5_C2_overdue_stage_of_own_service_complaint_proposed(road_type):
    """R5: a late C2 stage of the customer's own service complaint (불만·불편) is a failed
    published service; test_R5_late_stage_of_an_ordinary_petition_proposes_no_voucher
    proves the other side."""
    service = ComplaintTypeFactory(
        code="t-service",
        kind=Kind.SERVICE,
        period_days=14,
        handling_department=road_type.handling_department,
        lead_department=road_type.lead_department,
    )
    case = file_one(service, now=NOW)
    StageEvent.objects.create(complaint=case, action=Action.OVERDUE, to_stage=case.stage, at=NOW)
    assert services.propose_automatic_payouts(NOW) == 1
    assert Payout.objects.get().breaches == "C2"


def test_R5_M2_board_post_missed_reported_by_clerk(file_case, roads_clerk):
    payout = services.propose_payout(
        file_case(), "R5", by=roads_clerk, now=NOW, board_post_missed=True
    )
    assert payout.breaches == "M2"


def test_R6_automatic_proposals_idempotent_and_bounded(file_case, django_assert_max_num_queries):
    for _i in range(6):
        case = file_case(channel="visit", visit_count=2, priority_reasons=("official_error",))
        Complaint.objects.filter(pk=case.pk).update(notice_delay_minutes=90, is_overdue=True)
    with django_assert_max_num_queries(8):
        assert services.propose_automatic_payouts(NOW) == 12
    with django_assert_max_num_queries(8):
        assert services.propose_automatic_payouts(NOW) == 0
    assert Payout.objects.count() == 12


def test_R6_periodic_task_runs_the_service(repeat_visit):
    from compensation.tasks import propose_automatic_payouts

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        propose_automatic_payouts()
        propose_automatic_payouts()
    assert Payout.objects.filter(complaint=repeat_visit).count() == 1


def test_R6_beat_schedule_is_hourly():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="compensation.tasks.propose_automatic_payouts")
    assert task.crontab.hour == "*" and str(task.crontab.timezone) == "Asia/Seoul"


def test_R6_one_payout_per_rule_per_case(repeat_visit, roads_clerk):
    first = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    with pytest.raises(services.DuplicatePayout) as excinfo:
        services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    assert excinfo.value.payout == first
    assert "R3" in str(excinfo.value)
    assert services.propose_automatic_payouts(NOW) == 0
    assert Payout.objects.count() == 1


def test_R6_database_refuses_a_second_payout(repeat_visit, roads_clerk, rule):
    first = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    first.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save(force_insert=True)


def test_R6_approve_tells_the_citizen_by_sms_once(repeat_visit, roads_clerk, manager):
    payout = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    services.approve_payout(payout, by=manager, now=NOW, pay_by=date(2026, 4, 30))
    payout.refresh_from_db()
    assert payout.state == PayoutState.APPROVED and payout.approved_by == manager
    sms = SmsMessage.objects.get(key=f"payout:{payout.pk}:approved")
    assert "5,000원" in sms.body and "2026-04-30" in sms.body and "문화상품권" in sms.body
    with pytest.raises(services.PayoutStateError):
        services.approve_payout(payout, by=manager, now=NOW)
    assert SmsMessage.objects.filter(key__startswith="payout:").count() == 1


def test_R6_default_pay_by_is_end_of_next_month():
    assert services.default_pay_by(date(2026, 3, 10)) == date(2026, 4, 30)
    assert services.default_pay_by(date(2026, 12, 1)) == date(2027, 1, 31)


def test_R6_only_managers_approve_reject_pay(repeat_visit, roads_clerk, roads_head):
    payout = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    for user in (roads_clerk, roads_head):
        with pytest.raises(PermissionDenied):
            services.approve_payout(payout, by=user, now=NOW)
        with pytest.raises(PermissionDenied):
            services.reject_payout(payout, by=user, now=NOW, reason="x")
        with pytest.raises(PermissionDenied):
            services.mark_paid(payout, by=user, now=NOW)
    payout.refresh_from_db()
    assert payout.state == PayoutState.PROPOSED


def test_R6_nothing_paid_twice(repeat_visit, roads_clerk, manager):
    payout = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    with pytest.raises(services.PayoutStateError):
        services.mark_paid(payout, by=manager, now=NOW)  # not approved yet
    services.approve_payout(payout, by=manager, now=NOW)
    services.mark_paid(payout, by=manager, now=NOW)
    with pytest.raises(services.PayoutStateError):
        services.mark_paid(payout, by=manager, now=NOW)
    with pytest.raises(services.PayoutStateError):
        services.reject_payout(payout, by=manager, now=NOW, reason="늦게 발견")


def test_R6_reject_needs_a_reason(repeat_visit, roads_clerk, manager):
    payout = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    with pytest.raises(services.CompensationError):
        services.reject_payout(payout, by=manager, now=NOW, reason="  ")
    rejected = services.reject_payout(payout, by=manager, now=NOW, reason="본인 착오로 확인됨")
    assert rejected.state == PayoutState.REJECTED and rejected.rejected_by == manager


def test_R5_approval_records_training_for_the_department(file_case, manager, roads):
    case = file_case()
    Complaint.objects.filter(pk=case.pk).update(notice_delay_minutes=120)
    services.propose_automatic_payouts(NOW)
    payout = Payout.objects.get()
    services.approve_payout(payout, by=manager, now=NOW)
    training = TrainingRecord.objects.get(payout=payout)
    assert training.department == roads and "M1" in training.topic
    services.record_training(training, by=manager, now=NOW, held_on=date(2026, 3, 20))
    training.refresh_from_db()
    assert training.state == "done"


def test_R6_rule_edit_keeps_history_and_changes_nothing_proposed(
    repeat_visit, roads_clerk, manager, rule
):
    payout = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    later = NOW + timedelta(days=1)
    edited = services.edit_rule(
        rule("R3"), by=manager, now=later, note="단가 인상", amount_resident=7_000
    )
    assert edited.version == 2 and edited.updated_by == manager
    history = list(edited.versions.order_by("version").values_list("version", "amount_resident"))
    assert history == [(1, 5_000), (2, 7_000)]
    latest = edited.versions.get(version=2)
    assert (latest.changed_by, latest.changed_at, latest.note) == (manager, later, "단가 인상")
    payout.refresh_from_db()
    assert payout.amount == 5_000 and payout.rule_version == 1


def test_R6_rule_edit_refuses_absurd_amounts_and_non_managers(rule, manager, roads_clerk):
    with pytest.raises(PermissionDenied):
        services.edit_rule(rule("R2"), by=roads_clerk, now=NOW, amount=20_000)
    for bad in (0, 1_000_001):
        with pytest.raises(AmountError):
            services.edit_rule(rule("R2"), by=manager, now=NOW, amount=bad)
    with pytest.raises(AmountError):
        services.edit_rule(rule("R2"), by=manager, now=NOW, amount=None)
    assert rule("R2").amount == 10_000 and rule("R2").version == 1


def test_R6_inactive_rule_proposes_nothing(repeat_visit, manager, rule):
    services.edit_rule(rule("R3"), by=manager, now=NOW, is_active=False)
    assert services.propose_automatic_payouts(NOW) == 0


def test_R3_R5_automatic_scan_skips_old_filings_and_public_bodies(file_case):
    old = file_case(channel="visit", visit_count=2, priority_reasons=("official_error",))
    agency = file_case(channel="visit", visit_count=2, priority_reasons=("official_error",))
    Complaint.objects.filter(pk=old.pk).update(received_at=NOW - timedelta(days=91))
    Complaint.objects.filter(pk=agency.pk).update(filer_type="agency")
    assert services.propose_automatic_payouts(NOW) == 0
