"""Staff screens for compensation (R1–R6): permission trio, the clerk's proposal form,
the managers' actions, the monthly voucher batch, its CSV and the spend aggregates."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from compensation import services
from compensation.models import CompensationRule, Payout, PayoutState
from tests.compensation.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MANAGER_ONLY = [
    "admin:compensation_payout_batch",
    "admin:compensation_payout_batch_csv",
    "admin:compensation_payout_spend",
]


@pytest.mark.parametrize("name", MANAGER_ONLY)
def test_R6_manager_views_permission_trio(name, client, client_for, roads_clerk, manager):
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url
    assert client_for(roads_clerk).get(url).status_code == 403
    assert client_for(manager).get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["admin:compensation_payout_changelist", "admin:compensation_payout_propose"],
)
def test_R6_clerk_views_permission_trio(name, client, client_for, roads_clerk, manager):
    url = reverse(name)
    assert client.get(url).status_code == 302
    no_role = UserFactory(username="no_role", is_staff=True)
    assert client_for(no_role).get(url).status_code == 403
    assert client_for(roads_clerk).get(url).status_code == 200
    assert client_for(manager).get(url).status_code == 200


def test_R6_rule_change_permission_trio(client, client_for, roads_clerk, manager):
    rule = CompensationRule.objects.get(code="R2")
    url = reverse("admin:compensation_compensationrule_change", args=[rule.pk])
    assert client.get(url).status_code == 302
    clerk_view = client_for(roads_clerk).get(url)
    assert clerk_view.status_code == 200 and b'name="amount"' not in clerk_view.content
    assert client_for(manager).get(url).status_code == 200
    response = client_for(roads_clerk).post(url, {"amount": 99})
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.amount == 10_000


def _rule_form(rule, **changes):
    data = {
        "title": rule.title,
        "title_en": rule.title_en,
        "description": rule.description,
        "description_en": rule.description_en,
        "amount": rule.amount or "",
        "amount_resident": rule.amount_resident or "",
        "amount_nonresident": rule.amount_nonresident or "",
        "kind": rule.kind,
        "min_visits": rule.min_visits,
        "notice_limit_minutes": rule.notice_limit_minutes,
        "is_active": "on" if rule.is_active else "",
        "note": "",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": str(rule.versions.count()),
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    if rule.allows_transfer:
        data["allows_transfer"] = "on"
    data.update(changes)
    return data


def test_R6_manager_edits_rule_in_admin_with_history(client_for, manager):
    rule = CompensationRule.objects.get(code="R4")
    url = reverse("admin:compensation_compensationrule_change", args=[rule.pk])
    response = client_for(manager).post(url, _rule_form(rule, amount="15000", note="물가 반영"))
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert (rule.amount, rule.version) == (15_000, 2)
    assert rule.versions.get(version=2).changed_by == manager
    page = client_for(manager).get(url).content.decode()
    assert "물가 반영" in page and "10000" in page.replace(",", "")


@pytest.mark.parametrize("amount", ["-1", "0", "1000001", "abc"])
def test_R6_admin_refuses_absurd_rule_amount(client_for, manager, amount):
    rule = CompensationRule.objects.get(code="R4")
    url = reverse("admin:compensation_compensationrule_change", args=[rule.pk])
    response = client_for(manager).post(url, _rule_form(rule, amount=amount))
    assert response.status_code == 200  # the form again, with the error
    rule.refresh_from_db()
    assert (rule.amount, rule.version) == (10_000, 1)


def test_R1_clerk_proposes_from_the_form(client_for, roads_clerk, file_case):
    case = file_case()
    url = reverse("admin:compensation_payout_propose")
    data = {
        "receipt_number": case.receipt_number,
        "rule": "R1",
        "confirmed": "on",
        "amount": "18000",
        "kind": "goods",
    }
    response = client_for(roads_clerk).post(url, data)
    assert response.status_code == 302
    payout = Payout.objects.get()
    assert (payout.amount, payout.kind, payout.proposed_by) == (18_000, "goods", roads_clerk)
    again = client_for(roads_clerk).post(url, data)
    assert again.status_code == 400 and "이미" in again.content.decode()
    assert Payout.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5000", "0원보다 커야"),
        ("0", "0원보다 커야"),
        ("1000001", "1,000,000원을 넘을 수 없습니다"),
        ("99999999999", "1,000,000원을 넘을 수 없습니다"),
        ("", "실제 비용"),
        ("1e5", "정수"),
    ],
)
def test_R1_form_refuses_negative_or_absurd_amounts(
    client_for, roads_clerk, file_case, amount, message
):
    case = file_case()
    response = client_for(roads_clerk).post(
        reverse("admin:compensation_payout_propose"),
        {"receipt_number": case.receipt_number, "rule": "R1", "confirmed": "on", "amount": amount},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body or "정수" in body
    assert not Payout.objects.exists()


def test_R6_propose_form_unknown_receipt_and_other_department(client_for, other_clerk, file_case):
    url = reverse("admin:compensation_payout_propose")
    unknown = client_for(other_clerk).post(url, {"receipt_number": "2099-999999", "rule": "R2"})
    assert unknown.status_code == 400 and "접수번호의 민원이 없습니다" in unknown.content.decode()
    case = file_case()  # a roads case
    foreign = client_for(other_clerk).post(
        url, {"receipt_number": case.receipt_number, "rule": "R2", "confirmed": "on"}
    )
    assert foreign.status_code == 400 and "다른 부서" in foreign.content.decode()


def test_R6_clerk_sees_only_own_department_and_cannot_approve(
    client_for, roads_clerk, other_clerk, repeat_visit
):
    payout = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    url = reverse("admin:compensation_payout_changelist")
    assert repeat_visit.receipt_number in client_for(roads_clerk).get(url).content.decode()
    assert repeat_visit.receipt_number not in client_for(other_clerk).get(url).content.decode()
    client_for(roads_clerk).post(
        url, {"action": "approve_selected", "_selected_action": [payout.pk]}
    )
    payout.refresh_from_db()
    assert payout.state == PayoutState.PROPOSED


def test_R6_manager_approves_rejects_and_pays_by_actions(
    client_for, roads_clerk, manager, file_case, repeat_visit
):
    url = reverse("admin:compensation_payout_changelist")
    approved = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    rejected = services.propose_payout(
        file_case(), "R2", by=roads_clerk, now=NOW, record_error=True
    )
    client = client_for(manager)
    client.post(url, {"action": "approve_selected", "_selected_action": [approved.pk]})
    confirm = client.post(url, {"action": "reject_selected", "_selected_action": [rejected.pk]})
    assert confirm.status_code == 200 and "반려 사유" in confirm.content.decode()
    client.post(
        url,
        {"action": "reject_selected", "_selected_action": [rejected.pk], "reason": "중복 신고"},
    )
    client.post(url, {"action": "mark_paid_selected", "_selected_action": [approved.pk]})
    client.post(url, {"action": "mark_paid_selected", "_selected_action": [approved.pk]})
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.state == PayoutState.PAID
    assert (rejected.state, rejected.rejection_reason) == (PayoutState.REJECTED, "중복 신고")


def test_R6_changelist_month_filter_and_query_count(
    client_for, roads_clerk, manager, file_case, django_assert_max_num_queries
):
    for _i in range(5):
        payout = services.propose_payout(
            file_case(), "R2", by=roads_clerk, now=NOW, record_error=True
        )
        services.approve_payout(payout, by=manager, now=NOW)
    client = client_for(manager)
    url = reverse("admin:compensation_payout_changelist")
    client.get(url)
    with django_assert_max_num_queries(14):
        page = client.get(url, {"month": "2026-03"})
    assert page.status_code == 200 and page.content.decode().count("10,000") >= 5
    assert client.get(url, {"month": "bogus"}).status_code == 200


def _approved_vouchers(file_case, roads_clerk, manager, count=3):
    payouts = []
    for i in range(count):
        case = file_case(phone=f"010-2000-00{i:02d}", name=f"김민{i}")
        payout = services.propose_payout(case, "R4", by=roads_clerk, now=NOW, facility_barrier=True)
        payouts.append(services.approve_payout(payout, by=manager, now=NOW))
    return payouts


def test_R6_monthly_batch_lists_approved_unpaid_vouchers(
    client_for, roads_clerk, manager, file_case, django_assert_max_num_queries
):
    payouts = _approved_vouchers(file_case, roads_clerk, manager)
    services.mark_paid(payouts[0], by=manager, now=NOW)
    client = client_for(manager)
    url = reverse("admin:compensation_payout_batch")
    client.get(url, {"month": "2026-03"})
    with django_assert_max_num_queries(8):
        page = client.get(url, {"month": "2026-03"})
    body = page.content.decode()
    assert body.count("010-****-00") == 2  # masked on screen, paid one left out
    assert "2000-0001" not in body
    assert client.get(url, {"month": "2026-13"}).status_code == 200
    assert client.get(url, {"month": "<script>"}).status_code == 200


def test_R6_voucher_csv_korean_columns_full_phone_for_purchase(
    client_for, roads_clerk, manager, file_case
):
    _approved_vouchers(file_case, roads_clerk, manager, count=2)
    response = client_for(manager).get(
        reverse("admin:compensation_payout_batch_csv"), {"month": "2026-03"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["번호", "접수번호", "보상기준"]
    assert "휴대전화(상품권 발송)" in rows[0]
    phones = {row[5] for row in rows[1:]}
    assert phones == {"+821020000000", "+821020000001"}
    assert {row[4] for row in rows[1:]} == {"김*0", "김*1"}
    assert {row[6] for row in rows[1:]} == {"10000"}


def test_R6_spend_per_rule_and_department(
    client_for, roads_clerk, manager, file_case, repeat_visit, django_assert_max_num_queries
):
    payouts = _approved_vouchers(file_case, roads_clerk, manager, count=2)
    services.mark_paid(payouts[0], by=manager, now=NOW)
    r3 = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    services.approve_payout(r3, by=manager, now=NOW)
    services.propose_payout(file_case(), "R2", by=roads_clerk, now=NOW, record_error=True)
    from compensation import reports

    with django_assert_max_num_queries(2):
        by_rule = {row["rule__code"]: row for row in reports.spend_by_rule(2026)}
        by_both = reports.spend_by_rule_and_department(2026)
    assert by_rule["R4"]["total"] == 20_000 and by_rule["R4"]["paid"] == 10_000
    assert by_rule["R3"]["total"] == 5_000 and "R2" not in by_rule  # proposed only
    assert {(r["rule__code"], r["department__name"]) for r in by_both} == {
        ("R3", "건설과"),
        ("R4", "건설과"),
    }
    page = client_for(manager).get(reverse("admin:compensation_payout_spend"), {"year": "2026"})
    assert "20,000" in page.content.decode()
    assert (
        client_for(manager)
        .get(reverse("admin:compensation_payout_spend"), {"year": "99999999"})
        .status_code
        == 200
    )


def test_R5_training_record_admin_trio(client, client_for, roads_clerk, manager):
    url = reverse("admin:compensation_trainingrecord_changelist")
    assert client.get(url).status_code == 302
    assert client_for(UserFactory(username="nobody", is_staff=True)).get(url).status_code == 403
    assert client_for(roads_clerk).get(url).status_code == 200
    assert client_for(manager).get(url).status_code == 200


@pytest.mark.parametrize("month", ["2026-03"])
def test_R6_month_filter_on_approval(month, manager, roads_clerk, file_case):
    payout = services.propose_payout(file_case(), "R2", by=roads_clerk, now=NOW, record_error=True)
    with time_machine.travel(NOW + timedelta(days=40), tick=False):
        services.approve_payout(payout, by=manager, now=NOW + timedelta(days=40))
    start, end = services.month_bounds(month)
    assert not Payout.objects.filter(approved_at__date__gte=start, approved_at__date__lt=end)


def test_R6_payout_detail_is_read_only_with_masked_details(
    client, client_for, roads_clerk, other_clerk, manager, file_case
):
    payout = services.propose_payout(
        file_case(),
        "R1",
        by=roads_clerk,
        now=NOW,
        amount=30_000,
        kind="transfer",
        bank_name="농협",
        bank_account="301-1234-5678-91",
        bank_holder="홍길동",
    )
    url = reverse("admin:compensation_payout_change", args=[payout.pk])
    assert client.get(url).status_code == 302
    assert client_for(other_clerk).get(url).status_code == 302  # not in their scope
    page = client_for(manager).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "****78-91" not in body and "301-1234-5678-91" not in body
    assert "****" in body and "010-****-5678" in body
    response = client_for(manager).post(url, {"amount": "1"})
    assert response.status_code == 403
    payout.refresh_from_db()
    assert payout.amount == 30_000
