"""The compensation standard as a table (R1–R5): which facts owe what."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compensation.rules import (
    MAX_AMOUNT,
    AmountError,
    Breach,
    CaseFacts,
    Duty,
    PayoutKind,
    RuleCode,
    RuleTerms,
    check_amount,
    entitlement,
)

STANDARD = {
    "R1": RuleTerms("R1", PayoutKind.GOODS, allows_transfer=True),
    "R2": RuleTerms("R2", PayoutKind.VOUCHER, amount=10_000),
    "R3": RuleTerms("R3", PayoutKind.VOUCHER, amount_resident=5_000, amount_nonresident=10_000),
    "R4": RuleTerms("R4", PayoutKind.VOUCHER, amount=10_000),
    "R5": RuleTerms("R5", PayoutKind.VOUCHER, amount=10_000),
}

# (id, rule, facts, expected (amount, kind, duties, breaches) or None)
TABLE = [
    ("R1-nothing-reported", "R1", CaseFacts(), None),
    (
        "R1-goods-actual-cost",
        "R1",
        CaseFacts(inconvenience=True, manager_amount=23_500),
        (23_500, PayoutKind.GOODS, (), ()),
    ),
    (
        "R1-same-amount-by-transfer",
        "R1",
        CaseFacts(inconvenience=True, manager_amount=23_500, kind="transfer"),
        (23_500, PayoutKind.TRANSFER, (), ()),
    ),
    ("R2-no-error", "R2", CaseFacts(), None),
    (
        "R2-clerical-error",
        "R2",
        CaseFacts(record_error=True),
        (10_000, PayoutKind.VOUCHER, (Duty.CORRECT_RECORD,), ()),
    ),
    ("R3-one-visit-owes-nothing", "R3", CaseFacts(visit_count=1, official_error=True), None),
    (
        "R3-two-visits-resident",
        "R3",
        CaseFacts(visit_count=2, official_error=True, lives_in_county=True),
        (5_000, PayoutKind.VOUCHER, (Duty.EXPEDITE, Duty.APOLOGISE), ()),
    ),
    (
        "R3-two-visits-elsewhere",
        "R3",
        CaseFacts(visit_count=2, official_error=True, lives_in_county=False),
        (10_000, PayoutKind.VOUCHER, (Duty.EXPEDITE, Duty.APOLOGISE), ()),
    ),
    (
        "R3-five-visits-resident",
        "R3",
        CaseFacts(visit_count=5, official_error=True, lives_in_county=True),
        (5_000, PayoutKind.VOUCHER, (Duty.EXPEDITE, Duty.APOLOGISE), ()),
    ),
    ("R3-visits-not-officials-fault", "R3", CaseFacts(visit_count=3), None),
    ("R4-nothing-reported", "R4", CaseFacts(), None),
    (
        "R4-facility-barrier",
        "R4",
        CaseFacts(facility_barrier=True),
        (10_000, PayoutKind.VOUCHER, (), ()),
    ),
    ("R5-no-breach", "R5", CaseFacts(notice_delay_minutes=60), None),
    (
        "R5-M1-notice-61-minutes",
        "R5",
        CaseFacts(notice_delay_minutes=61),
        (10_000, PayoutKind.VOUCHER, (Duty.TRAIN_DEPARTMENT,), (Breach.M1,)),
    ),
    (
        "R5-M2-board-post-not-swept",
        "R5",
        CaseFacts(board_post_missed=True),
        (10_000, PayoutKind.VOUCHER, (Duty.TRAIN_DEPARTMENT,), (Breach.M2,)),
    ),
    (
        "R5-C2-stage-overdue",
        "R5",
        CaseFacts(stage_overdue=True),
        (10_000, PayoutKind.VOUCHER, (Duty.TRAIN_DEPARTMENT,), (Breach.C2,)),
    ),
    (
        "R5-M1-and-C2-one-payout",
        "R5",
        CaseFacts(notice_delay_minutes=90, stage_overdue=True),
        (10_000, PayoutKind.VOUCHER, (Duty.TRAIN_DEPARTMENT,), (Breach.M1, Breach.C2)),
    ),
    (
        "R5-other-published-service",
        "R5",
        CaseFacts(service_failure=True),
        (10_000, PayoutKind.VOUCHER, (Duty.TRAIN_DEPARTMENT,), ()),
    ),
]


@pytest.mark.parametrize(
    ("rule", "facts", "expected"), [t[1:] for t in TABLE], ids=[t[0] for t in TABLE]
)
def test_R1_R2_R3_R4_R5_rule_table(rule, facts, expected):
    owed = entitlement(STANDARD[rule], facts)
    if expected is None:
        assert owed is None
        return
    amount, kind, duties, found = expected
    assert owed is not None
    assert owed.code is RuleCode(rule)
    assert (owed.amount, owed.kind, owed.duties, owed.breaches) == (amount, kind, duties, found)


@pytest.mark.parametrize(
    ("visits", "resident", "amount"),
    [(0, True, None), (1, True, None), (1, False, None), (2, True, 5_000), (2, False, 10_000)],
)
def test_R3_boundary_one_visit_nothing_two_visits_by_residence(visits, resident, amount):
    owed = entitlement(
        STANDARD["R3"],
        CaseFacts(visit_count=visits, official_error=True, lives_in_county=resident),
    )
    assert (owed.amount if owed else None) == amount


def test_R3_min_visits_is_data():
    terms = RuleTerms(
        "R3", "voucher", amount_resident=5_000, amount_nonresident=10_000, min_visits=3
    )
    assert entitlement(terms, CaseFacts(visit_count=2, official_error=True)) is None
    assert entitlement(terms, CaseFacts(visit_count=3, official_error=True)).amount == 10_000


def test_R5_notice_limit_is_data():
    terms = RuleTerms("R5", "voucher", amount=10_000, notice_limit_minutes=30)
    assert entitlement(terms, CaseFacts(notice_delay_minutes=31)).breaches == (Breach.M1,)


def test_R6_inactive_rule_owes_nothing():
    terms = RuleTerms("R2", "voucher", amount=10_000, is_active=False)
    assert entitlement(terms, CaseFacts(record_error=True)) is None


@pytest.mark.parametrize("amount", [None, 0, -5_000, MAX_AMOUNT + 1, 10**9, 1.5, True, "10000"])
def test_R1_absurd_or_missing_amount_refused(amount):
    with pytest.raises(AmountError):
        entitlement(STANDARD["R1"], CaseFacts(inconvenience=True, manager_amount=amount))


def test_R1_transfer_needs_the_rule_to_allow_it():
    terms = RuleTerms("R1", PayoutKind.GOODS, allows_transfer=False)
    with pytest.raises(AmountError):
        entitlement(terms, CaseFacts(inconvenience=True, manager_amount=1_000, kind="transfer"))


def test_R6_rule_with_absurd_amount_cannot_pay():
    terms = RuleTerms("R4", "voucher", amount=MAX_AMOUNT + 1)
    with pytest.raises(AmountError):
        entitlement(terms, CaseFacts(facility_barrier=True))


@given(st.integers(min_value=-(10**7), max_value=10**7))
def test_R6_check_amount_accepts_only_one_to_max(amount):
    if 0 < amount <= MAX_AMOUNT:
        assert check_amount(amount) == amount
    else:
        with pytest.raises(AmountError):
            check_amount(amount)


@given(
    visits=st.integers(min_value=0, max_value=50),
    resident=st.booleans(),
    official=st.booleans(),
)
def test_R3_property_pays_only_from_two_visits_by_an_official(visits, resident, official):
    owed = entitlement(
        STANDARD["R3"],
        CaseFacts(visit_count=visits, official_error=official, lives_in_county=resident),
    )
    if official and visits >= 2:
        assert owed.amount == (5_000 if resident else 10_000)
    else:
        assert owed is None
