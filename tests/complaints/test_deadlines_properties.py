"""Properties of the deadline clock (O2, C2), checked by hypothesis over 2020–2038."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints import deadlines
from complaints.deadlines import (
    SEOUL,
    legal_due_at,
    national_calendar,
    resumed_due_at,
    stage_due_at,
    working_hours_between,
)
from tests.fuzzing import examples

CAL = national_calendar()
SPANS = [((9, 0), (12, 0)), ((13, 0), (18, 0))]

receipts = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2038, 12, 31, 23, 59)
).map(lambda naive: naive.replace(tzinfo=SEOUL))
# Receipts on round minutes hit span edges (09:00, 12:00, 13:00, 18:00) often.
minute_receipts = st.builds(
    lambda day, minute: (
        datetime.combine(day, datetime.min.time(), tzinfo=SEOUL) + timedelta(minutes=minute)
    ),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2038, 12, 31)),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
any_receipt = st.one_of(receipts, minute_receipts)
periods = st.integers(min_value=1, max_value=60)


@pytest.fixture(autouse=True)
def national_only(monkeypatch):
    monkeypatch.setattr(deadlines, "_provider", national_calendar)
    monkeypatch.setattr(deadlines, "_legal_provider", national_calendar)


def in_working_time_or_at_a_span_end(moment: datetime) -> bool:
    local = moment.astimezone(SEOUL)
    if not deadlines.is_working_day(local.date(), calendar=CAL):
        return False
    clock = local.time()
    return any(
        datetime.min.time().replace(hour=s[0], minute=s[1])
        < clock
        <= datetime.min.time().replace(hour=e[0], minute=e[1])
        for s, e in SPANS
    )


@settings(max_examples=examples(300), deadline=None)
@given(any_receipt, any_receipt, periods)
def test_O2_due_never_moves_earlier_when_receipt_moves_later(a, b, period):
    early, late = min(a, b), max(a, b)
    assert legal_due_at(early, period, calendar=CAL) <= legal_due_at(late, period, calendar=CAL)


@settings(max_examples=examples(300), deadline=None)
@given(any_receipt, periods, periods)
def test_O2_due_never_moves_earlier_when_the_period_grows(received, p, q):
    short, long = min(p, q), max(p, q)
    assert legal_due_at(received, short, calendar=CAL) <= legal_due_at(received, long, calendar=CAL)


@settings(max_examples=examples(300), deadline=None)
@given(any_receipt, st.integers(min_value=1, max_value=5))
def test_O2_short_periods_last_exactly_eight_working_hours_a_day(received, period):
    due = legal_due_at(received, period, calendar=CAL)
    assert working_hours_between(received, due, calendar=CAL) == 8 * period


@settings(max_examples=examples(300), deadline=None)
@given(any_receipt, periods)
def test_O2_due_lies_in_working_time_or_at_a_span_end(received, period):
    assert in_working_time_or_at_a_span_end(legal_due_at(received, period, calendar=CAL))


@settings(max_examples=examples(200), deadline=None)
@given(any_receipt, periods, st.integers(min_value=0, max_value=90))
def test_O2_adding_a_closure_never_makes_a_deadline_earlier(received, period, offset):
    closed = received.astimezone(SEOUL).date() + timedelta(days=offset)
    with_closure = CAL.with_changes(holidays=[closed])
    assert legal_due_at(received, period, calendar=CAL) <= legal_due_at(
        received, period, calendar=with_closure
    )


@settings(max_examples=examples(200), deadline=None)
@given(any_receipt, st.sampled_from(sorted(deadlines.STAGE_BUDGET_DAYS)))
def test_C2_stage_due_is_its_budget_in_working_hours(entered, stage):
    due = stage_due_at(entered, stage, calendar=CAL)
    assert (
        working_hours_between(entered, due, calendar=CAL)
        == 8 * (deadlines.STAGE_BUDGET_DAYS[stage])
    )
    assert in_working_time_or_at_a_span_end(due)


@settings(max_examples=examples(200), deadline=None)
@given(any_receipt, st.integers(1, 5), st.integers(0, 40 * 60), st.integers(0, 30 * 24 * 60))
def test_O2_hold_keeps_the_remaining_working_time(received, period, held_after, held_for):
    due = legal_due_at(received, period, calendar=CAL)
    held = received + timedelta(minutes=held_after)
    resumed = held + timedelta(minutes=held_for)
    new_due = resumed_due_at(due, held, resumed, period_days=period, calendar=CAL)
    remaining = max(working_hours_between(held, due, calendar=CAL), 0)
    assert new_due >= due
    if remaining > 0:
        assert working_hours_between(resumed, new_due, calendar=CAL) == pytest.approx(remaining)


@settings(max_examples=examples(200), deadline=None)
@given(any_receipt, st.integers(6, 60), st.integers(0, 40 * 24 * 60), st.integers(0, 30 * 24 * 60))
def test_L2_day_period_after_hold_ends_at_a_working_days_end(
    received, period, held_after, held_for
):
    """A period counted in days stays in days after a hold: the new due time is the end
    of a working day, never earlier than before, and later by at most the working days
    the hold touched."""
    due = legal_due_at(received, period, calendar=CAL)
    held = received + timedelta(minutes=held_after)
    resumed = held + timedelta(minutes=held_for)
    new_due = resumed_due_at(due, held, resumed, period_days=period, calendar=CAL)
    assert new_due >= due
    assert new_due.astimezone(SEOUL).time() == time(18, 0)
    assert deadlines.is_working_day(new_due.date(), calendar=CAL)
    touched = sum(
        1
        for day_offset in range((resumed.date() - held.date()).days + 1)
        if deadlines.is_working_day(held.date() + timedelta(days=day_offset), calendar=CAL)
    )
    added = working_hours_between(due, new_due, calendar=CAL) / 8
    assert added <= touched
