"""What a case is owed: the compensation standard (보상기준 R1–R5) as pure functions.

No ORM and no clock here. The caller turns a ``CompensationRule`` row into ``RuleTerms``
and a complaint (plus what a clerk reports) into ``CaseFacts``; :func:`entitlement` says
whether the rule pays, how much, in what kind, and what else the county must do
(correct the record, expedite, apologise, train the department).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

# Above this a payout is refused as absurd: the standard's largest fixed amount is
# 10,000 KRW and R1 pays the actual cost of small goods.
MAX_AMOUNT = 1_000_000
DEFAULT_MIN_VISITS = 2
DEFAULT_NOTICE_LIMIT_MINUTES = 60


class RuleCode(StrEnum):
    R1 = "R1"  # inconvenience during a visit or the handling
    R2 = "R2"  # clerical error in a public record
    R3 = "R3"  # an official's error made the citizen visit twice or more
    R4 = "R4"  # a disabled citizen could not use a facility
    R5 = "R5"  # the county failed a service it published (M1, M2, C2 breaches count)


class PayoutKind(StrEnum):
    VOUCHER = "voucher"  # 문화상품권
    GOODS = "goods"  # 물품 (actual cost)
    TRANSFER = "transfer"  # 계좌 입금


class Breach(StrEnum):
    M1 = "M1"  # mail/FAX owner notice later than the limit
    M2 = "M2"  # a board post missed by the twice-daily sweep
    C2 = "C2"  # a stage of the service-complaint procedure past its due time


class Duty(StrEnum):
    """What the county does besides paying."""

    CORRECT_RECORD = "correct_record"  # R2
    EXPEDITE = "expedite"  # R3
    APOLOGISE = "apologise"  # R3
    TRAIN_DEPARTMENT = "train_department"  # R5


class AmountError(ValueError):
    """An amount that cannot be paid (missing, zero, negative or absurd)."""


@dataclass(frozen=True)
class RuleTerms:
    """One rule as the managers set it (a snapshot of ``CompensationRule``)."""

    code: RuleCode | str
    kind: PayoutKind | str
    amount: int | None = None
    amount_resident: int | None = None
    amount_nonresident: int | None = None
    allows_transfer: bool = False
    min_visits: int = DEFAULT_MIN_VISITS
    notice_limit_minutes: int = DEFAULT_NOTICE_LIMIT_MINUTES
    is_active: bool = True


@dataclass(frozen=True)
class CaseFacts:
    """What is known about a case. Facts a clerk reports default to False."""

    lives_in_county: bool = False
    visit_count: int = 1
    official_error: bool = False  # the repeated visits were an official's fault (R3)
    inconvenience: bool = False  # R1, reported
    record_error: bool = False  # R2, reported
    facility_barrier: bool = False  # R4, reported by a disabled citizen
    service_failure: bool = False  # R5, any other published service not kept
    notice_delay_minutes: int | None = None  # M1
    board_post_missed: bool = False  # M2
    stage_overdue: bool = False  # C2
    manager_amount: int | None = None  # R1: the actual cost, set per case
    kind: PayoutKind | str | None = None  # R1: goods or bank transfer


@dataclass(frozen=True)
class Entitlement:
    code: RuleCode
    amount: int
    kind: PayoutKind
    duties: tuple[Duty, ...] = ()
    breaches: tuple[Breach, ...] = field(default=())


def check_amount(amount: int | None) -> int:
    """The amount as a payable int, or AmountError (Korean message for the clerk)."""
    if amount is None:
        raise AmountError(_("금액을 입력해 주세요."))
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise AmountError(_("금액은 원 단위 정수로 입력해 주세요."))
    if amount <= 0:
        raise AmountError(_("금액은 0원보다 커야 합니다."))
    if amount > MAX_AMOUNT:
        raise AmountError(_("금액은 %(max)s원을 넘을 수 없습니다.") % {"max": f"{MAX_AMOUNT:,}"})
    return amount


def breaches(terms: RuleTerms, facts: CaseFacts) -> tuple[Breach, ...]:
    """The standard's own promises this case shows broken (they count for R5)."""
    found = []
    if facts.notice_delay_minutes is not None and (
        facts.notice_delay_minutes > terms.notice_limit_minutes
    ):
        found.append(Breach.M1)
    if facts.board_post_missed:
        found.append(Breach.M2)
    if facts.stage_overdue:
        found.append(Breach.C2)
    return tuple(found)


def entitlement(terms: RuleTerms, facts: CaseFacts) -> Entitlement | None:
    """What rule ``terms`` owes for ``facts``, or None when it owes nothing.

    Raises AmountError when the rule applies but its amount cannot be paid (R1 without a
    manager-set amount, a rule whose amount was set absurdly).
    """
    if not terms.is_active:
        return None
    code = RuleCode(terms.code)
    kind = PayoutKind(terms.kind)
    if code is RuleCode.R1:
        if not facts.inconvenience:
            return None
        if facts.kind is not None:
            wanted = PayoutKind(facts.kind)
            if wanted is PayoutKind.TRANSFER and not terms.allows_transfer:
                raise AmountError(_("이 보상기준은 계좌 입금을 허용하지 않습니다."))
            if wanted not in (kind, PayoutKind.TRANSFER):
                raise AmountError(_("이 보상기준에서 고를 수 없는 지급 방식입니다."))
            kind = wanted
        return Entitlement(code, check_amount(facts.manager_amount), kind)
    if code is RuleCode.R2:
        if not facts.record_error:
            return None
        return Entitlement(code, check_amount(terms.amount), kind, (Duty.CORRECT_RECORD,))
    if code is RuleCode.R3:
        if not (facts.official_error and facts.visit_count >= terms.min_visits):
            return None
        amount = terms.amount_resident if facts.lives_in_county else terms.amount_nonresident
        return Entitlement(code, check_amount(amount), kind, (Duty.EXPEDITE, Duty.APOLOGISE))
    if code is RuleCode.R4:
        if not facts.facility_barrier:
            return None
        return Entitlement(code, check_amount(terms.amount), kind)
    # R5
    found = breaches(terms, facts)
    if not (found or facts.service_failure):
        return None
    return Entitlement(
        code, check_amount(terms.amount), kind, (Duty.TRAIN_DEPARTMENT,), breaches=found
    )
