"""Compensation actions: propose, approve, reject, pay, edit a rule (R1–R6).

Every state change of this app goes through here. Each function takes the acting user
and the time, runs in one transaction and locks the rows two people may touch at once.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _

from complaints.models import Action, Complaint, FilerType, Kind, PriorityReason, StageEvent
from notifications.phones import InvalidPhoneNumber, normalize_phone
from notifications.services import send_sms
from staff_directory.roles import is_manager

from . import rules
from .models import (
    RULE_TERMS_FIELDS,
    CompensationRule,
    CompensationRuleVersion,
    Payout,
    PayoutKind,
    PayoutState,
    TrainingRecord,
    TrainingState,
)
from .rules import AmountError, CaseFacts, RuleCode

logger = logging.getLogger(__name__)

__all__ = [
    "AmountError",
    "DuplicatePayout",
    "NotOwed",
    "PayoutStateError",
    "approve_payout",
    "check_rule_terms",
    "edit_rule",
    "facts_for",
    "mark_paid",
    "propose_automatic_payouts",
    "propose_payout",
    "record_training",
    "reject_payout",
]


class CompensationError(ValueError):
    """A refused compensation action; the message is for the member of staff."""


def _fitting(name: str, value: str, *, model: type[models.Model] = Payout) -> str:
    """``value`` for column ``name``: one longer than the column is refused, never cut
    (a shortened account number is a wrong account)."""
    field = cast(models.Field, model._meta.get_field(name))
    try:
        field.run_validators(value)
    except ValidationError as exc:
        raise CompensationError(f"{field.verbose_name}: {' '.join(exc.messages)}") from exc
    return value


class NotOwed(CompensationError):
    pass


class PayoutStateError(CompensationError):
    pass


class DuplicatePayout(CompensationError):
    """The case already has a payout under this rule (one per rule per case)."""

    def __init__(self, payout: Payout) -> None:
        self.payout = payout
        super().__init__(
            _("이 민원에는 이미 %(code)s 보상이 있습니다(상태: %(state)s).")
            % {"code": payout.rule_id and payout.rule.code, "state": payout.get_state_display()}
        )


def _require_manager(user) -> None:
    if not is_manager(user):
        raise PermissionDenied(_("관리자만 할 수 있습니다."))


def facts_for(complaint: Complaint, **reported: Any) -> CaseFacts:
    """The facts the system holds about a complaint, plus what a clerk reports
    (``inconvenience``, ``record_error``, ``facility_barrier``, ``service_failure``,
    ``board_post_missed``, ``manager_amount``, ``kind``)."""
    facts = CaseFacts(
        lives_in_county=complaint.lives_in_county,
        visit_count=complaint.visit_count,
        official_error=PriorityReason.OFFICIAL_ERROR in (complaint.priority_reasons or []),
        notice_delay_minutes=complaint.notice_delay_minutes,
        # R5: only a late C2 stage of the customer's own service complaint counts; a late
        # stage of an ordinary petition is not by itself a failed published service.
        stage_overdue=complaint.kind == Kind.SERVICE
        and (complaint.is_overdue or complaint.events.filter(action=Action.OVERDUE).exists()),
    )
    return replace(facts, **reported)


def _duties_text(entitlement: rules.Entitlement) -> str:
    return ",".join(str(d) for d in entitlement.duties)


# --- Proposal ---------------------------------------------------------------------------
def propose_payout(
    complaint: Complaint,
    rule_code: str,
    *,
    by,
    now: datetime,
    amount: int | None = None,
    kind: str | None = None,
    recipient_name: str | None = None,
    recipient_phone: str | None = None,
    bank_name: str = "",
    bank_account: str = "",
    bank_holder: str = "",
    note: str = "",
    automatic: bool = False,
    **reported: Any,
) -> Payout:
    """Propose what ``complaint`` is owed under rule ``rule_code``.

    The rule decides with the complaint's recorded facts plus the ``reported`` ones
    (see :func:`facts_for`); ``amount`` is the manager-set actual cost for R1 only.
    Raises NotOwed when the facts do not meet the rule, AmountError for an amount that
    cannot be paid, InvalidPhoneNumber for a bad phone, and DuplicatePayout (holding
    the existing row) when the case already has one under this rule — also when two
    clerks propose at the same moment.
    """
    code = RuleCode(rule_code)
    rule = CompensationRule.objects.get(code=code)
    if code is RuleCode.R1:
        reported.setdefault("inconvenience", True)
        reported["manager_amount"] = amount
        reported["kind"] = kind
    elif amount is not None:
        raise AmountError(_("이 보상기준의 금액은 규정으로 정해져 있어 바꿀 수 없습니다."))
    phone = recipient_phone if recipient_phone is not None else complaint.phone
    phone = normalize_phone(phone) if phone else ""
    name = recipient_name if recipient_name is not None else complaint.complainant_name
    existing = Payout.objects.filter(complaint=complaint, rule=rule).first()
    if existing is not None:
        raise DuplicatePayout(existing)
    owed = rules.entitlement(rule.terms(), facts_for(complaint, **reported))
    if owed is None:
        raise NotOwed(
            _("%(code)s 보상 조건에 맞지 않습니다: %(rule)s")
            % {"code": code, "rule": rule.display_description}
        )
    if owed.kind == PayoutKind.TRANSFER and not (bank_name and bank_account and bank_holder):
        raise CompensationError(_("계좌 입금에는 은행, 계좌번호, 예금주가 필요합니다."))
    if owed.kind != PayoutKind.TRANSFER:
        bank_name = bank_account = bank_holder = ""
    payout = Payout(
        complaint=complaint,
        rule=rule,
        rule_version=rule.version,
        department_id=complaint.department_id,
        amount=owed.amount,
        kind=owed.kind,
        recipient_name=_fitting("recipient_name", name or ""),
        recipient_phone=phone,
        bank_name=_fitting("bank_name", bank_name.strip()),
        bank_account=_fitting("bank_account", bank_account.strip()),
        bank_holder=_fitting("bank_holder", bank_holder.strip()),
        automatic=automatic,
        breaches=",".join(owed.breaches),
        duties=_duties_text(owed),
        note=note,
        proposed_at=now,
        proposed_by=by if getattr(by, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            payout.save()
    except IntegrityError:
        # Another clerk (or the periodic task) proposed it first: the constraint decides.
        existing = Payout.objects.filter(complaint=complaint, rule=rule).first()
        if existing is None:
            raise
        raise DuplicatePayout(existing) from None
    return payout


# Only filings received this recently are scanned: a breach found years later (say, on
# the first run after installation) is for a clerk to propose, not the hourly task.
AUTOMATIC_WINDOW_DAYS = 90
# Public bodies file as organisations, not as citizens who could be compensated.
NOT_COMPENSATED_FILERS = (FilerType.AGENCY, FilerType.PUBLIC_BODY)


def propose_automatic_payouts(now: datetime, *, limit: int = 500) -> int:
    """Propose R3 and R5 payouts for complaints whose recorded facts owe them and that
    have none yet. Bulk and idempotent: a few queries whatever the number of rows, and
    a second run (or a concurrent one) proposes nothing twice. Returns rows created."""
    rules_by_code = {
        r.code: r
        for r in CompensationRule.objects.filter(
            code__in=[RuleCode.R3, RuleCode.R5], is_active=True
        )
    }
    fields = (
        "id",
        "department_id",
        "complainant_name",
        "phone",
        "lives_in_county",
        "visit_count",
        "priority_reasons",
        "notice_delay_minutes",
        "is_overdue",
        "kind",
    )
    overdue_event = Exists(
        StageEvent.objects.filter(complaint=OuterRef("pk"), action=Action.OVERDUE)
    )
    new_rows: list[Payout] = []
    for code, rule in rules_by_code.items():
        terms = rule.terms()
        already = Exists(Payout.objects.filter(complaint=OuterRef("pk"), rule=rule))
        if code == RuleCode.R3:
            condition = Q(
                visit_count__gte=terms.min_visits,
                priority_reasons__icontains=f'"{PriorityReason.OFFICIAL_ERROR}"',
            )
        else:
            late_c2 = Q(kind=Kind.SERVICE) & (Q(is_overdue=True) | Q(overdue_event=True))
            condition = Q(notice_delay_minutes__gt=terms.notice_limit_minutes) | late_c2
        qs = (
            Complaint.objects.annotate(overdue_event=overdue_event)
            .filter(condition, received_at__gte=now - timedelta(days=AUTOMATIC_WINDOW_DAYS))
            .exclude(filer_type__in=NOT_COMPENSATED_FILERS)
        )
        candidates = qs.filter(~already).order_by("id").values(*fields, "overdue_event")[:limit]
        for row in candidates:
            facts = CaseFacts(
                lives_in_county=row["lives_in_county"],
                visit_count=row["visit_count"],
                official_error=PriorityReason.OFFICIAL_ERROR in (row["priority_reasons"] or []),
                notice_delay_minutes=row["notice_delay_minutes"],
                stage_overdue=row["kind"] == Kind.SERVICE
                and (row["is_overdue"] or row["overdue_event"]),
            )
            try:
                owed = rules.entitlement(terms, facts)
            except AmountError:
                logger.warning("rule %s has no payable amount; nothing proposed", code)
                break
            if owed is None:
                continue
            try:
                phone = normalize_phone(row["phone"]) if row["phone"] else ""
            except InvalidPhoneNumber:
                phone = ""
            new_rows.append(
                Payout(
                    complaint_id=row["id"],
                    rule=rule,
                    rule_version=rule.version,
                    department_id=row["department_id"],
                    amount=owed.amount,
                    kind=owed.kind,
                    recipient_name=row["complainant_name"] or "",  # both columns hold 50
                    recipient_phone=phone,
                    automatic=True,
                    breaches=",".join(owed.breaches),
                    duties=_duties_text(owed),
                    proposed_at=now,
                )
            )
    if not new_rows:
        return 0
    # The unique constraint (complaint, rule) makes a concurrent run harmless: its rows
    # are skipped, never doubled.
    Payout.objects.bulk_create(new_rows, ignore_conflicts=True)
    return len(new_rows)


# --- Decisions --------------------------------------------------------------------------
def default_pay_by(day: date) -> date:
    """Vouchers are bought in a monthly batch: approved this month, paid by the end of
    the next month."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def _locked(payout: Payout) -> Payout:
    return Payout.objects.select_for_update().select_related("rule", "complaint").get(pk=payout.pk)


def approve_payout(payout: Payout, *, by, now: datetime, pay_by: date | None = None) -> Payout:
    """A manager approves a proposed payout; the citizen is told by SMS what they will
    receive and by when. R5 also opens a training record for the department."""
    _require_manager(by)
    from django.utils import timezone

    with transaction.atomic():
        payout = _locked(payout)
        if payout.state != PayoutState.PROPOSED:
            raise PayoutStateError(
                _("제안 상태인 보상만 승인할 수 있습니다(현재: %(state)s).")
                % {"state": payout.get_state_display()}
            )
        payout.state = PayoutState.APPROVED
        payout.approved_at = now
        payout.approved_by = by
        payout.pay_by = pay_by or default_pay_by(timezone.localdate(now))
        payout.save(update_fields=["state", "approved_at", "approved_by", "pay_by"])
        if payout.rule.code == RuleCode.R5:
            TrainingRecord.objects.get_or_create(
                payout=payout,
                defaults={
                    "department_id": payout.department_id,
                    "topic": _("공표한 서비스 미이행 재발 방지 교육 (%(receipt)s %(breaches)s)")
                    % {
                        "receipt": payout.complaint.receipt_number,
                        "breaches": payout.breaches or "R5",
                    },
                    "created_at": now,
                    "created_by": by,
                },
            )
        if payout.recipient_phone:
            with translation.override("ko"):
                send_sms(
                    payout.recipient_phone,
                    "compensation/payout_approved",
                    {
                        "receipt_number": payout.complaint.receipt_number,
                        "kind": payout.get_kind_display(),
                        "amount": f"{payout.amount:,}",
                        "pay_by": payout.pay_by.strftime("%Y-%m-%d"),
                    },
                    key=f"payout:{payout.pk}:approved",
                )
    return payout


def reject_payout(payout: Payout, *, by, now: datetime, reason: str) -> Payout:
    """A manager rejects a proposed payout, with a reason; bank details are erased."""
    _require_manager(by)
    reason = (reason or "").strip()
    if not reason:
        raise CompensationError(_("반려 사유를 적어 주세요."))
    with transaction.atomic():
        payout = _locked(payout)
        if payout.state != PayoutState.PROPOSED:
            raise PayoutStateError(
                _("제안 상태인 보상만 반려할 수 있습니다(현재: %(state)s).")
                % {"state": payout.get_state_display()}
            )
        payout.state = PayoutState.REJECTED
        payout.rejected_at = now
        payout.rejected_by = by
        payout.rejection_reason = reason
        payout.bank_name = payout.bank_account = payout.bank_holder = ""
        payout.save(
            update_fields=[
                "state",
                "rejected_at",
                "rejected_by",
                "rejection_reason",
                "bank_name",
                "bank_account",
                "bank_holder",
            ]
        )
    return payout


def mark_paid(payout: Payout, *, by, now: datetime, reference: str = "") -> Payout:
    """Record that an approved payout was paid, and erase the bank details: they are
    kept only as long as the payment needs them. Paying twice is refused."""
    _require_manager(by)
    with transaction.atomic():
        payout = _locked(payout)
        if payout.state != PayoutState.APPROVED:
            raise PayoutStateError(
                _("승인된 보상만 지급 처리할 수 있습니다(현재: %(state)s).")
                % {"state": payout.get_state_display()}
            )
        payout.state = PayoutState.PAID
        payout.paid_at = now
        payout.paid_by = by
        payout.payment_reference = _fitting("payment_reference", (reference or "").strip())
        payout.bank_name = payout.bank_account = payout.bank_holder = ""
        payout.save(
            update_fields=[
                "state",
                "paid_at",
                "paid_by",
                "payment_reference",
                "bank_name",
                "bank_account",
                "bank_holder",
            ]
        )
    return payout


# --- Rules ------------------------------------------------------------------------------
def check_rule_terms(rule: CompensationRule) -> None:
    """Refuse terms that could not pay (AmountError) or contradict the standard."""
    for name in ("amount", "amount_resident", "amount_nonresident"):
        value = getattr(rule, name)
        if value is not None:
            rules.check_amount(value)
    if rule.code == RuleCode.R1:
        if rule.kind == PayoutKind.VOUCHER:
            raise CompensationError(_("R1은 물품 또는 계좌 입금으로 지급합니다."))
    elif rule.code == RuleCode.R3:
        if rule.amount_resident is None or rule.amount_nonresident is None:
            raise AmountError(_("R3에는 군민 금액과 타 지역 금액이 모두 필요합니다."))
    elif rule.amount is None:
        raise AmountError(_("%(code)s에는 금액이 필요합니다.") % {"code": rule.code})
    if rule.min_visits < 2:
        raise CompensationError(_("최소 방문 횟수는 2회 이상이어야 합니다."))


def edit_rule(
    rule: CompensationRule, *, by, now: datetime, note: str = "", **changes: Any
) -> CompensationRule:
    """A manager changes a rule's terms; the new terms become a version row (who, when,
    why), so anyone can see what the amount was before. Payouts already proposed keep
    the amount they were proposed with."""
    _require_manager(by)
    unknown = set(changes) - set(RULE_TERMS_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        rule = CompensationRule.objects.select_for_update().get(pk=rule.pk)
        changed = [name for name, value in changes.items() if getattr(rule, name) != value]
        if not changed:
            return rule
        for name in changed:
            setattr(rule, name, changes[name])
        check_rule_terms(rule)
        rule.version += 1
        rule.updated_at = now
        rule.updated_by = by
        rule.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
        CompensationRuleVersion.objects.create(
            rule=rule,
            version=rule.version,
            changed_at=now,
            changed_by=by,
            note=_fitting("note", (note or "").strip(), model=CompensationRuleVersion),
            **{name: getattr(rule, name) for name in RULE_TERMS_FIELDS},
        )
    return rule


def recent_months(today: date, count: int = 12) -> list[str]:
    """'YYYY-MM' for this month and the ``count - 1`` before, newest first."""
    months = []
    year, month = today.year, today.month
    for _i in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def month_bounds(month: str) -> tuple[date, date]:
    """'2026-11' → (2026-11-01, 2026-12-01); ValueError for anything else."""
    year_text, _sep, month_text = (month or "").partition("-")
    if not (len(year_text) == 4 and year_text.isdigit() and month_text.isdigit()):
        raise ValueError(month)
    year, mon = int(year_text), int(month_text)
    if not 2000 <= year <= 2100:
        raise ValueError(month)
    start = date(year, mon, 1)
    end = date(year + 1, 1, 1) if mon == 12 else date(year, mon + 1, 1)
    return start, end


def record_training(
    record: TrainingRecord, *, by, now: datetime, held_on: date, note: str = ""
) -> TrainingRecord:
    """A manager records that the department's R5 training was held."""
    _require_manager(by)
    with transaction.atomic():
        record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
        record.state = TrainingState.DONE
        record.held_on = held_on
        record.note = (note or record.note).strip()
        record.save(update_fields=["state", "held_on", "note"])
    return record
