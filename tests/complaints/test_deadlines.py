"""The legal deadline clock (O2) and the stage budgets (C2), rule by rule.

Every expected value was worked out by hand from the calendar printed by
`python -c "import holidays; print(holidays.KR(years=2026))"` (and 2027), never from the
code under test. docs/deadlines.md walks through the same examples.

2026 days off used below: 02-16..18 설날, 03-02 삼일절 대체, 05-01 노동절, 05-05 어린이날,
05-25 부처님오신날 대체, 06-03 지방선거, 07-17 제헌절, 08-17 광복절 대체,
09-24..26 추석, 10-05 개천절 대체, 10-09 한글날, 12-25 성탄절.
2027: 01-01, 02-06..09 설날 (09 대체), 05-03 노동절 대체, 07-19 제헌절 대체,
08-16 광복절 대체, 09-14..16 추석, 10-04 개천절 대체, 10-11 한글날 대체, 12-27 성탄절 대체.
"""

from datetime import UTC, date, datetime

import holidays
import pytest

from complaints import deadlines
from complaints.deadlines import (
    SEOUL,
    STAGE_BUDGET_DAYS,
    ExtensionRefused,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    extended_due_at,
    immediate_due_at,
    is_working_day,
    legal_due_at,
    national_calendar,
    resumed_due_at,
    stage_due_at,
    transfer_due_at,
    working_hours_between,
)


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def national_only(monkeypatch):
    """These tests need no database: count with the national calendar only."""
    monkeypatch.setattr(deadlines, "_provider", national_calendar)
    monkeypatch.setattr(deadlines, "_legal_provider", national_calendar)


# --- The calendar itself -------------------------------------------------------------


def test_O2_holidays_package_knows_the_2026_and_2027_days_off():
    kr = holidays.KR(years=[2026, 2027])
    for day in [
        "2026-02-16", "2026-02-17", "2026-02-18", "2026-03-02", "2026-05-01", "2026-05-25",
        "2026-06-03", "2026-07-17", "2026-08-17", "2026-09-24", "2026-09-25", "2026-10-05",
        "2026-10-09", "2026-12-25", "2027-02-09", "2027-05-03", "2027-07-19", "2027-08-16",
        "2027-10-04", "2027-10-11", "2027-12-27",
    ]:  # fmt: skip
        assert date.fromisoformat(day) in kr, day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 6, 3), False),  # 지방선거일
        (date(2026, 5, 1), False),  # 노동절, a public holiday from 2026
        (date(2026, 7, 17), False),  # 제헌절, again a public holiday from 2026
        (date(2026, 3, 2), False),  # 삼일절 대체공휴일
        (date(2026, 11, 21), False),  # a Saturday
        (date(2026, 11, 23), True),  # an ordinary Monday
        (date(2025, 7, 17), True),  # 제헌절 was not a holiday in 2025
        (date(2027, 7, 19), False),  # 제헌절 대체공휴일
        (date(2027, 5, 3), False),  # 노동절 대체공휴일
    ],
)
def test_O2_is_working_day(day, working):
    assert is_working_day(day) is working


def test_O2_is_working_day_reads_an_aware_datetime_in_seoul():
    # 2026-11-22 20:00 UTC is Monday 2026-11-23 05:00 in Seoul.
    assert is_working_day(datetime(2026, 11, 22, 20, 0, tzinfo=UTC)) is True


def test_O2_a_date_outside_the_calendar_is_refused():
    with pytest.raises(ValueError, match="outside the working calendar"):
        legal_due_at(kst(2019, 5, 2, 10, 0), 3)


# --- Periods of 5 days or less: working hours from the instant of receipt --------------


def test_O2_five_day_period_counts_hours_from_receipt():
    # Mon 11-23 10:00: Mon 7 h, Tue–Fri 32 h (39), Mon 11-30 09:00 + 1 h.
    assert legal_due_at(kst(2026, 11, 23, 10, 0), 5) == kst(2026, 11, 30, 10, 0)


def test_O2_one_day_from_nine_is_due_at_six_the_same_day_not_nine_the_next():
    assert legal_due_at(kst(2026, 11, 23, 9, 0), 1) == kst(2026, 11, 23, 18, 0)


def test_O2_budget_ending_at_the_lunch_break_is_due_at_noon():
    # Mon 13:00: Mon 13–18 (5 h), Tue 09–12 (3 h) = 8 h, due Tue 12:00, not 13:00.
    assert legal_due_at(kst(2026, 11, 23, 13, 0), 1) == kst(2026, 11, 24, 12, 0)
    assert add_working_hours(kst(2026, 11, 23, 9, 0), 3) == kst(2026, 11, 23, 12, 0)


def test_O2_receipt_during_lunch_starts_counting_at_one():
    assert legal_due_at(kst(2026, 11, 23, 12, 30), 1) == kst(2026, 11, 24, 12, 0)


@pytest.mark.parametrize("received", [kst(2026, 11, 23, 22, 0), kst(2026, 11, 24, 7, 0)])
def test_O2_receipt_at_night_starts_counting_at_nine(received):
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 18, 0)


def test_O2_receipt_at_the_weekend_starts_counting_on_monday():
    # Sat 11-28: Mon 11-30 8 h, Tue 12-01 8 h.
    assert legal_due_at(kst(2026, 11, 28, 11, 0), 2) == kst(2026, 12, 1, 18, 0)


def test_O2_the_issue_example_skips_chuseok():
    # Tue 09-22 10:00 + 24 h: Tue 7, Wed 8 (15); 09-24/25 추석, weekend; Mon 8 (23); Tue +1.
    # (The issue's illustration said 2026-09-24T10:00, which ignores 추석.)
    assert legal_due_at(kst(2026, 9, 22, 10, 0), 3) == kst(2026, 9, 29, 10, 0)


def test_O2_seollal_2026():
    # Fri 02-13 15:00: Fri 3 h; 02-16..18 설날; Thu 8 (11); Fri 09–12 (14), 13:00 + 2 h.
    assert legal_due_at(kst(2026, 2, 13, 15, 0), 2) == kst(2026, 2, 20, 15, 0)


def test_O2_samiljeol_substitute_2026():
    # Fri 02-27 17:00: 1 h; Mon 03-02 대체공휴일; Tue 09–12 (4), 13–17 (8).
    assert legal_due_at(kst(2026, 2, 27, 17, 0), 1) == kst(2026, 3, 3, 17, 0)


def test_O2_labor_day_and_childrens_day_2026():
    # Thu 04-30 10:00: Thu 7; Fri 05-01 노동절; Mon 8 (15); Tue 05-05 어린이날; Wed +1.
    assert legal_due_at(kst(2026, 4, 30, 10, 0), 2) == kst(2026, 5, 6, 10, 0)


def test_O2_buddhas_birthday_substitute_2026():
    # Fri 05-22 13:00: Fri 5 h; Mon 05-25 대체공휴일; Tue 09–12 (8).
    assert legal_due_at(kst(2026, 5, 22, 13, 0), 1) == kst(2026, 5, 26, 12, 0)


def test_O2_local_election_day_2026_is_skipped():
    # Tue 06-02 10:00: Tue 7 h; Wed 06-03 지방선거; Thu 09:00 + 1 h.
    assert legal_due_at(kst(2026, 6, 2, 10, 0), 1) == kst(2026, 6, 4, 10, 0)


def test_O2_constitution_day_2026_is_skipped():
    # Thu 07-16 18:00 counts from Fri, but 07-17 is 제헌절: Mon 07-20 09–18.
    assert legal_due_at(kst(2026, 7, 16, 18, 0), 1) == kst(2026, 7, 20, 18, 0)


def test_O2_liberation_day_substitute_2026():
    # Fri 08-14 09:00: Fri 8; Mon 08-17 대체공휴일; Tue 8.
    assert legal_due_at(kst(2026, 8, 14, 9, 0), 2) == kst(2026, 8, 18, 18, 0)


def test_O2_foundation_day_substitute_and_hangul_day_2026():
    # Fri 10-02 10:00: Fri 7; Mon 10-05 대체; Tue 8 (15); Wed 8 (23); Thu 8 (31);
    # Fri 10-09 한글날; Mon 10-12 09:00 + 1 h.
    assert legal_due_at(kst(2026, 10, 2, 10, 0), 3) == kst(2026, 10, 8, 10, 0)
    assert legal_due_at(kst(2026, 10, 2, 10, 0), 4) == kst(2026, 10, 12, 10, 0)


def test_O2_year_boundary_hours():
    # Thu 12-24 14:00: 4; Fri 12-25; Mon 8 (12); Tue (20); Wed (28); Thu 12-31 (36);
    # Fri 2027-01-01; Mon 01-04 09–12 (39), 13:00 + 1 h.
    assert legal_due_at(kst(2026, 12, 24, 14, 0), 5) == kst(2027, 1, 4, 14, 0)


def test_O2_seollal_2027_with_its_substitute():
    # Fri 02-05 10:00: 7 h; 02-06..08 설날 (Sat–Mon), Tue 02-09 대체; Wed 09:00 + 1 h.
    assert legal_due_at(kst(2027, 2, 5, 10, 0), 1) == kst(2027, 2, 10, 10, 0)


def test_O2_labor_day_substitute_2027():
    # Fri 04-30 17:00: 1 h; Mon 05-03 노동절 대체; Tue 09–12 (4), 13–17 (8).
    assert legal_due_at(kst(2027, 4, 30, 17, 0), 1) == kst(2027, 5, 4, 17, 0)


def test_O2_constitution_day_substitute_2027():
    assert legal_due_at(kst(2027, 7, 16, 9, 0), 2) == kst(2027, 7, 20, 18, 0)


def test_O2_liberation_day_substitute_2027():
    assert legal_due_at(kst(2027, 8, 13, 18, 0), 1) == kst(2027, 8, 17, 18, 0)


def test_O2_foundation_and_hangul_day_substitutes_2027():
    # Fri 10-01 12:00: 13–18 (5); Mon 10-04 대체; Tue 09–12 (8).
    assert legal_due_at(kst(2027, 10, 1, 12, 0), 1) == kst(2027, 10, 5, 12, 0)
    # Fri 10-08 13:00: 5; Mon 10-11 대체; Tue 09–12.
    assert legal_due_at(kst(2027, 10, 8, 13, 0), 1) == kst(2027, 10, 12, 12, 0)


def test_O2_christmas_substitute_2027():
    assert legal_due_at(kst(2027, 12, 24, 10, 0), 1) == kst(2027, 12, 28, 10, 0)


def test_O2_receipt_in_another_timezone_is_read_in_seoul():
    # 01:00 UTC is 10:00 in Seoul.
    due = legal_due_at(datetime(2026, 11, 23, 1, 0, tzinfo=UTC), 1)
    assert due == kst(2026, 11, 24, 10, 0)
    assert due.utcoffset().total_seconds() == 9 * 3600


# --- Periods of 6 days or more: days, the first included --------------------------------


def test_O2_six_day_period_counts_the_receipt_day_as_day_one():
    # Mon 11-23 = day 1 … Fri 11-27 = day 5, Mon 11-30 = day 6.
    assert legal_due_at(kst(2026, 11, 23, 17, 59), 6) == kst(2026, 11, 30, 18, 0)
    assert legal_due_at(kst(2026, 11, 23, 22, 0), 6) == kst(2026, 11, 30, 18, 0)


def test_O2_six_day_period_received_on_saturday_starts_on_monday():
    # Sat 11-28: day 1 Mon 11-30 … day 6 Mon 12-07.
    assert legal_due_at(kst(2026, 11, 28, 10, 0), 6) == kst(2026, 12, 7, 18, 0)


def test_O2_twenty_day_period():
    # Mon 11-02: four clean weeks of November, day 20 = Fri 11-27.
    assert legal_due_at(kst(2026, 11, 2, 9, 0), 20) == kst(2026, 11, 27, 18, 0)


def test_O2_day_rule_across_chuseok_2026():
    # Wed 09-23 day 1; 09-24..27 off; 28, 29, 30, 10-01, 10-02 days 2–6; 10-03..05 off;
    # Tue 10-06 day 7.
    assert legal_due_at(kst(2026, 9, 23, 15, 0), 7) == kst(2026, 10, 6, 18, 0)


def test_O2_day_rule_across_chuseok_2027():
    # Mon 09-13 day 1; 09-14..16 추석; Fri 17, Mon 20, Tue 21, Wed 22, Thu 23 = days 2–6.
    assert legal_due_at(kst(2027, 9, 13, 9, 0), 6) == kst(2027, 9, 23, 18, 0)


def test_O2_day_rule_across_the_year_boundary():
    # Wed 12-30 day 1, Thu 12-31 day 2; 01-01 off; Mon 01-04 … Thu 01-07 days 3–6.
    assert legal_due_at(kst(2026, 12, 30, 10, 0), 6) == kst(2027, 1, 7, 18, 0)


# --- Input checks --------------------------------------------------------------------


def test_O2_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        legal_due_at(datetime(2026, 11, 23, 10, 0), 3)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_hours_between(kst(2026, 11, 23, 10, 0), datetime(2026, 11, 24, 10, 0))


@pytest.mark.parametrize("period", [-1, -7])
def test_O2_period_must_be_positive(period):
    with pytest.raises(ValueError, match="at least 1"):
        legal_due_at(kst(2026, 11, 23, 10, 0), period)


def test_O2_working_hours_between():
    assert working_hours_between(kst(2026, 11, 23, 10, 0), kst(2026, 11, 24, 10, 0)) == 8.0
    assert working_hours_between(kst(2026, 11, 23, 11, 30), kst(2026, 11, 23, 13, 30)) == 1.0
    assert working_hours_between(kst(2026, 11, 27, 18, 0), kst(2026, 11, 30, 9, 0)) == 0.0
    assert working_hours_between(kst(2026, 11, 24, 10, 0), kst(2026, 11, 23, 10, 0)) == -8.0


def test_O2_custom_spans_move_lunch():
    cal = national_calendar(2026, 2027, ("09:00-11:00", "12:00-18:00"))
    assert add_working_hours(kst(2026, 11, 23, 9, 0), 2, calendar=cal) == kst(2026, 11, 23, 11, 0)
    assert add_working_hours(kst(2026, 11, 23, 9, 0), 3, calendar=cal) == kst(2026, 11, 23, 13, 0)
    assert legal_due_at(kst(2026, 11, 23, 9, 0), 1, calendar=cal) == kst(2026, 11, 23, 18, 0)


def test_O2_spans_must_be_sane():
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar(date(2026, 1, 1), date(2026, 12, 31), spans=("09:00-13:00", "12:00-18:00"))
    with pytest.raises(ValueError, match="09:00"):
        WorkCalendar(date(2026, 1, 1), date(2026, 12, 31), spans=("nine-five",))
    with pytest.raises(ValueError, match="09:00-12:00"):
        WorkCalendar(date(2026, 1, 1), date(2026, 12, 31), spans=("09:00",))


# --- Stage budgets (C2), "즉시" and transfers ----------------------------------------


def test_C2_stage_budgets_are_the_standard():
    assert STAGE_BUDGET_DAYS == {"assigned": 1, "investigating": 2, "verifying": 2, "correcting": 3}


def test_C2_assign_stage_due_next_working_day():
    assert stage_due_at(kst(2026, 11, 23, 10, 0), "assigned") == kst(2026, 11, 24, 10, 0)
    assert stage_due_at(kst(2026, 11, 23, 10, 0), "assign") == kst(2026, 11, 24, 10, 0)


def test_C2_assign_stage_entered_on_saturday_is_due_monday_evening():
    assert stage_due_at(kst(2026, 11, 21, 10, 0), "assigned") == kst(2026, 11, 23, 18, 0)


def test_C2_investigate_stage_two_working_days():
    # Fri 09-18 15:00: Fri 3; Mon 8 (11); Tue 09–12 (14), 13:00 + 2 h.
    assert stage_due_at(kst(2026, 9, 18, 15, 0), "investigating") == kst(2026, 9, 22, 15, 0)


def test_C2_verify_stage_across_chuseok():
    # Wed 09-23 11:00: 1 + 5 = 6; 추석 and weekend; Mon 8 (14); Tue 09–11 (16).
    assert stage_due_at(kst(2026, 9, 23, 11, 0), "verifying") == kst(2026, 9, 29, 11, 0)


def test_C2_correct_stage_across_the_election():
    # Fri 05-29 16:00: 2; Mon 8 (10); Tue 8 (18); Wed 06-03 선거; Thu 09–12 (21), 13:00 + 3.
    assert stage_due_at(kst(2026, 5, 29, 16, 0), "correcting") == kst(2026, 6, 4, 16, 0)


def test_C2_add_working_days_is_the_hours_rule():
    assert add_working_days(kst(2026, 11, 23, 10, 0), 3) == kst(2026, 11, 26, 10, 0)


def test_C2_stage_without_budget_is_refused():
    with pytest.raises(ValueError, match="no budget"):
        stage_due_at(kst(2026, 11, 23, 10, 0), "notified")


def test_O2_immediately_means_three_working_hours():
    # Mon 11:00: 11–12 (1), 13:00 + 2 h.
    assert immediate_due_at(kst(2026, 11, 23, 11, 0)) == kst(2026, 11, 23, 15, 0)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Mon 11:00: 11–12 (1), 13:00 + 2 h.
        (kst(2026, 11, 23, 11, 0), kst(2026, 11, 23, 15, 0)),
        # Mon 16:30: 16:30–18 (1.5), Tue 09:00 + 1.5 h.
        (kst(2026, 11, 23, 16, 30), kst(2026, 11, 24, 10, 30)),
        # Fri 10-02 17:00: 1 h; 10-05 개천절 대체 and the weekend; Tue 09:00 + 2 h.
        (kst(2026, 10, 2, 17, 0), kst(2026, 10, 6, 11, 0)),
        # Sat 2026-11-28 10:00: starts Mon 09:00; 09–12 is the whole budget.
        (kst(2026, 11, 28, 10, 0), kst(2026, 11, 30, 12, 0)),
    ],
)
def test_L4_immediate_period_is_three_working_hours(received, due):
    assert legal_due_at(received, deadlines.IMMEDIATE_PERIOD) == due
    assert deadlines.counted_in_days(deadlines.IMMEDIATE_PERIOD) is False


@pytest.mark.parametrize(
    ("kind", "received", "due"),
    [
        ("within_county", kst(2026, 11, 23, 17, 0), kst(2026, 11, 24, 11, 0)),
        ("other_agency", kst(2026, 11, 23, 10, 0), kst(2026, 11, 24, 10, 0)),
    ],
)
def test_O2_transfer_limits(kind, received, due):
    assert transfer_due_at(received, kind) == due


# --- Stopped time (시행령 제20조) ---------------------------------------------------------


def test_O2_hold_keeps_the_remaining_working_time():
    due = legal_due_at(kst(2026, 11, 23, 10, 0), 5)  # Mon 11-30 10:00
    # Held Wed 11-25 10:00 with 24 h left (Wed 7, Thu 8, Fri 8, Mon 1);
    # resumed Mon 11-30 15:00: Mon 3 (21 left), Tue 8, Wed 8 (5), Thu 09–12, 13:00 + 2.
    held, resumed = kst(2026, 11, 25, 10, 0), kst(2026, 11, 30, 15, 0)
    assert resumed_due_at(due, held, resumed, period_days=5) == kst(2026, 12, 3, 15, 0)


def test_L2_day_period_ends_at_day_end_after_hold():
    """The issue's case: 7 days from Mon 11-23 10:00 (due Tue 12-01 18:00), held Wed
    11-25 10:00, answered Fri 11-27 15:00. Counted in days: Mon and Tue count (2); Wed,
    Thu and Fri are the time of the 보완 (each has working time inside the hold); the
    five days left are Mon 11-30 … Fri 12-04."""
    due = legal_due_at(kst(2026, 11, 23, 10, 0), 7)
    assert due == kst(2026, 12, 1, 18, 0)
    held, resumed = kst(2026, 11, 25, 10, 0), kst(2026, 11, 27, 15, 0)
    assert resumed_due_at(due, held, resumed, period_days=7) == kst(2026, 12, 4, 18, 0)


@pytest.mark.parametrize(
    ("held", "resumed", "due"),
    [
        # Held and answered the same working day: that one day is excluded.
        (kst(2026, 11, 25, 10, 0), kst(2026, 11, 25, 11, 0), kst(2026, 12, 2, 18, 0)),
        # Held Wed 17:00, answered Thu 10:00: Wed and Thu → Thu 12-03.
        (kst(2026, 11, 25, 17, 0), kst(2026, 11, 26, 10, 0), kst(2026, 12, 3, 18, 0)),
        # Held Wed after hours, answered Thu before hours: no working time held.
        (kst(2026, 11, 25, 19, 0), kst(2026, 11, 26, 8, 0), kst(2026, 12, 1, 18, 0)),
        # Held Fri 18:00 sharp, answered Mon 09:00 sharp: nothing excluded either.
        (kst(2026, 11, 27, 18, 0), kst(2026, 11, 30, 9, 0), kst(2026, 12, 1, 18, 0)),
        # Answered on Saturday 11-28: Wed, Thu, Fri excluded, as if answered Fri.
        (kst(2026, 11, 25, 10, 0), kst(2026, 11, 28, 11, 0), kst(2026, 12, 4, 18, 0)),
        # Held on the due day itself, answered two weeks later (Wed 12-09 14:00):
        # Tue 12-01 … Wed 12-09 (7 working days) out; the one day left is Thu 12-10.
        (kst(2026, 12, 1, 14, 0), kst(2026, 12, 9, 14, 0), kst(2026, 12, 10, 18, 0)),
        # Held and answered on Tue 11-24, a day already counted: it is excluded, so
        # one more working day at the end (Wed 12-02).
        (kst(2026, 11, 24, 10, 0), kst(2026, 11, 24, 16, 0), kst(2026, 12, 2, 18, 0)),
    ],
)
def test_L2_day_period_hold_excludes_whole_working_days(held, resumed, due):
    original = legal_due_at(kst(2026, 11, 23, 10, 0), 7)  # Tue 12-01 18:00
    assert resumed_due_at(original, held, resumed, period_days=7) == due


def test_L2_day_period_hold_across_christmas():
    # 10 days from Mon 12-14 09:00: 12-14..18 (5), 12-21..24 (9), 12-25 off, Mon 12-28
    # = 10. Held Thu 12-24 10:00, answered Mon 12-28 10:00: Thu and Mon excluded, so
    # the remaining two days (12-24 and 12-28) are Tue 12-29 and Wed 12-30.
    due = legal_due_at(kst(2026, 12, 14, 9, 0), 10)
    assert due == kst(2026, 12, 28, 18, 0)
    held, resumed = kst(2026, 12, 24, 10, 0), kst(2026, 12, 28, 10, 0)
    assert resumed_due_at(due, held, resumed, period_days=10) == kst(2026, 12, 30, 18, 0)


def test_O2_hold_outside_working_time_changes_nothing():
    due = kst(2026, 11, 30, 10, 0)
    held, resumed = kst(2026, 11, 25, 19, 0), kst(2026, 11, 26, 8, 0)
    assert resumed_due_at(due, held, resumed, period_days=5) == due


def test_O2_hold_after_the_due_time_does_not_revive_it():
    due = kst(2026, 11, 30, 10, 0)
    held, resumed = kst(2026, 12, 1, 10, 0), kst(2026, 12, 3, 10, 0)
    assert resumed_due_at(due, held, resumed, period_days=5) == due
    day_due = kst(2026, 12, 1, 18, 0)
    held, resumed = kst(2026, 12, 2, 10, 0), kst(2026, 12, 3, 10, 0)
    assert resumed_due_at(day_due, held, resumed, period_days=7) == day_due


def test_O2_resume_before_hold_is_refused():
    with pytest.raises(ValueError, match="resumed_at"):
        resumed_due_at(
            kst(2026, 11, 30, 10, 0),
            kst(2026, 11, 25, 10, 0),
            kst(2026, 11, 24, 9, 0),
            period_days=5,
        )


# --- Extension (시행령 제21조) ----------------------------------------------------------


def test_O2_extension_by_at_most_the_original_period():
    due = legal_due_at(kst(2026, 11, 23, 10, 0), 3)
    assert due == kst(2026, 11, 26, 10, 0)
    # + 24 h: Thu 7, Fri 8 (15), Mon 8 (23), Tue 09:00 + 1 h.
    assert extended_due_at(due, 3, 3) == kst(2026, 12, 1, 10, 0)
    with pytest.raises(ExtensionRefused, match="원래 처리기간") as refused:
        extended_due_at(due, 3, 4)
    assert refused.value.code == "longer_than_period"


def test_O2_extension_of_a_day_counted_period():
    due = legal_due_at(kst(2026, 11, 2, 9, 0), 10)
    assert due == kst(2026, 11, 13, 18, 0)
    # Ten more working days: 11-16..20, 11-23..27.
    assert extended_due_at(due, 10, 10) == kst(2026, 11, 27, 18, 0)


def test_L1_second_extension_needs_the_citizens_consent():
    due = kst(2026, 12, 1, 10, 0)
    with pytest.raises(ExtensionRefused, match="동의") as refused:
        extended_due_at(due, 3, 1, extensions_so_far=1)
    assert refused.value.code == "consent_required"
    assert extended_due_at(due, 3, 1, extensions_so_far=1, citizen_consent=True) == kst(
        2026, 12, 2, 10, 0
    )


def test_L1_second_extension_is_capped_by_the_original_period_too():
    due = kst(2026, 12, 1, 10, 0)
    with pytest.raises(ExtensionRefused) as refused:
        extended_due_at(due, 3, 4, extensions_so_far=1, citizen_consent=True)
    assert refused.value.code == "longer_than_period"
    # 3 days = 24 h: Tue 7, Wed 8 (15), Thu 8 (23), Fri 09:00 + 1 h.
    assert extended_due_at(due, 3, 3, extensions_so_far=1, citizen_consent=True) == kst(
        2026, 12, 4, 10, 0
    )


def test_L1_third_extension_refused():
    with pytest.raises(ExtensionRefused, match="두 번") as refused:
        extended_due_at(kst(2026, 12, 1, 10, 0), 3, 1, extensions_so_far=2, citizen_consent=True)
    assert refused.value.code == "too_many"


def test_L4_immediate_period_is_not_extended_in_days():
    with pytest.raises(ExtensionRefused) as refused:
        extended_due_at(kst(2026, 12, 1, 10, 0), deadlines.IMMEDIATE_PERIOD, 1)
    assert refused.value.code == "immediate"


def test_L8_legal_clock_ignores_an_internal_calendar_with_closures(monkeypatch):
    closed = national_calendar().with_changes(holidays=[date(2026, 11, 24)])
    monkeypatch.setattr(deadlines, "_provider", lambda: closed)
    received = kst(2026, 11, 23, 10, 0)
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)
    assert stage_due_at(received, "assigned") == kst(2026, 11, 25, 10, 0)


def test_O2_extension_must_be_positive():
    with pytest.raises(ExtensionRefused):
        extended_due_at(kst(2026, 12, 1, 10, 0), 3, 0)
