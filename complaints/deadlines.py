"""The legal deadline clock: 민원 처리에 관한 법률 제19조, 시행령 제13조, 제19조–제21조
(O2, C2, L1, L2, L4, L8).

Pure functions over an injected `WorkCalendar`: no ORM, no `now()`, no Django import.
Every datetime going in must be timezone-aware (a naive one raises `ValueError`); every
datetime coming out is aware, in Asia/Seoul.

How time is counted
-------------------
*Working time* is the working spans (default 09:00–12:00 and 13:00–18:00, Asia/Seoul) of
working days: Monday to Friday, not a public holiday.

There are two calendars (L8). The *legal* calendar leaves out only Saturdays, Sundays and
public holidays, government-designated temporary holidays (임시공휴일) included: every
legal period (`legal_due_at`, `resumed_due_at`, `extended_due_at`, `transfer_due_at`,
`immediate_due_at`) counts with it, so a county closure never lengthens a legal deadline
and a holiday the county works never shortens one (법 제19조). The *internal* calendar
also leaves out county closures and counts holidays marked worked (`is_worked`); the
stage budgets of the service standard (`stage_due_at`, `add_working_days`) count with it.

The calendar numbers its working days 0, 1, 2, … (a sorted list of ordinals), and every
working day holds the same working time, so "how much working time lies before instant t"
is one bisection plus arithmetic. Adding working time is the inverse: a `divmod` and a
walk over at most a few spans. Nothing walks day by day, so the cost does not grow with
the period (see `bench/deadlines.py`).

A due time is the *earliest* instant at which the budget has elapsed: a budget that runs
out exactly at the end of a span is due at that span's end (12:00, 18:00), not at the
start of the next one.

Public API (stable; other apps call it): `legal_due_at`, `add_working_hours`,
`add_working_days`, `working_hours_between`, `is_working_day`, `STAGE_BUDGET_DAYS`,
`stage_due_at`, `TRANSFER_LIMIT_HOURS`, `transfer_due_at`, `immediate_due_at`,
`resumed_due_at`, `resumed_stage_due_at`, `extended_due_at`, `ExtensionRefused`,
`WorkCalendar`, `national_calendar`, `register_calendar_provider`, `get_calendar`,
`counted_spans`, `IMMEDIATE_PERIOD`, `MAX_EXTENSIONS`.
Each function takes an optional keyword `calendar=`; without it the registered provider's
calendar is used (the complaints app registers a legal and an internal one), or, when none
is registered, the national holidays only. The generic functions (`add_working_hours`,
`working_hours_between`, `is_working_day`, `counted_spans`) count with the internal
calendar unless called with `legal=True`.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_SPANS",
    "HOURS_PER_DAY",
    "HOUR_RULE_MAX_DAYS",
    "IMMEDIATE_HOURS",
    "IMMEDIATE_PERIOD",
    "MAX_EXTENSIONS",
    "SEOUL",
    "STAGE_ALIASES",
    "STAGE_BUDGET_DAYS",
    "TRANSFER_LIMIT_HOURS",
    "ExtensionRefused",
    "WorkCalendar",
    "add_working_days",
    "add_working_hours",
    "counted_in_days",
    "counted_spans",
    "extended_due_at",
    "get_calendar",
    "immediate_due_at",
    "is_working_day",
    "legal_due_at",
    "national_calendar",
    "register_calendar_provider",
    "resumed_due_at",
    "resumed_stage_due_at",
    "stage_due_at",
    "transfer_due_at",
    "working_hours_between",
]

SEOUL = ZoneInfo("Asia/Seoul")
DEFAULT_SPANS: tuple[str, ...] = ("09:00-12:00", "13:00-18:00")
#: 법 제19조제1항: for periods of 5 days or less, one day is 8 working hours.
HOURS_PER_DAY = 8
#: The longest period counted in hours (법 제19조제1항); from 6 days on, periods are
#: counted in days, the first day included (법 제19조제2항).
HOUR_RULE_MAX_DAYS = 5
#: "즉시" means within 3 working hours (시행령 제19조).
IMMEDIATE_HOURS = 3
#: The `period_days` of a type handled "즉시" (L4): 3 working hours from receipt.
IMMEDIATE_PERIOD = 0
#: 시행령 제21조: one extension, and one more with the citizen's consent; no third.
MAX_EXTENSIONS = 2
#: Stage budgets of the service standard (C2), in working days, keyed by the stage entered.
STAGE_BUDGET_DAYS: dict[str, int] = {
    "assigned": 1,
    "investigating": 2,
    "verifying": 2,
    "correcting": 3,
}
#: Short names (used by the `deadline` command) for the stages above.
STAGE_ALIASES: dict[str, str] = {
    "assign": "assigned",
    "investigate": "investigating",
    "verify": "verifying",
    "correct": "correcting",
}
#: Transfer limits in working hours (시행령 제13조).
TRANSFER_LIMIT_HOURS: dict[str, int] = {
    # to the right department inside the county
    "within_county": 3,
    # to another agency (이송)
    "other_agency": 8,
}

_US_PER_MINUTE = 60_000_000
_US_PER_HOUR = 3_600_000_000


class ExtensionRefused(ValueError):
    """An extension the rules forbid (시행령 제21조). `code` names the reason."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# --- The calendar ------------------------------------------------------------------------


def _parse_spans(spans: Iterable[str | tuple[str, str]]) -> tuple[tuple[int, int], ...]:
    """'09:00-12:00' strings (or (start, end) pairs) → (start, end) microseconds of the day."""
    parsed: list[tuple[int, int]] = []
    for span in spans:
        try:
            start_text, end_text = span.split("-") if isinstance(span, str) else span
        except ValueError:
            raise ValueError(f"working span {span!r}: expected a span like 09:00-12:00") from None
        bounds = []
        for text in (start_text, end_text):
            try:
                hours, minutes = (int(part) for part in text.strip().split(":"))
            except ValueError:
                raise ValueError(f"working span {span!r}: times must look like 09:00") from None
            if not (0 <= hours <= 24 and 0 <= minutes < 60) or hours * 60 + minutes > 24 * 60:
                raise ValueError(f"working span {span!r}: time out of range")
            bounds.append((hours * 60 + minutes) * _US_PER_MINUTE)
        if bounds[0] >= bounds[1]:
            raise ValueError(f"working span {span!r}: start must be before end")
        if parsed and bounds[0] < parsed[-1][1]:
            raise ValueError(f"working span {span!r}: spans must be in order and not overlap")
        parsed.append((bounds[0], bounds[1]))
    if not parsed:
        raise ValueError("at least one working span is needed")
    return tuple(parsed)


@dataclass(frozen=True, eq=False)
class WorkCalendar:
    """Which days are working days and which hours of them count, for `first`..`last`.

    `holidays`: days off beyond weekends (national holidays plus county closures).
    `worked`: holidays the county works anyway (the `is_worked` override); weekends stay
    off whatever this says, because the law never counts Saturdays.
    `spans`: the working spans of a day, e.g. ("09:00-12:00", "13:00-18:00").
    A date outside `first`..`last` raises `ValueError` rather than guessing.
    """

    first: date
    last: date
    holidays: frozenset[date] = frozenset()
    worked: frozenset[date] = frozenset()
    spans: tuple[str, ...] = DEFAULT_SPANS
    _span_us: tuple[tuple[int, int], ...] = field(init=False, repr=False)
    _day_us: int = field(init=False, repr=False)
    _ordinals: list[int] = field(init=False, repr=False)
    _ordinal_set: frozenset[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError("calendar range: first must not be after last")
        span_us = _parse_spans(self.spans)
        setter = object.__setattr__
        setter(self, "spans", tuple(self.spans))
        setter(self, "holidays", frozenset(self.holidays))
        setter(self, "worked", frozenset(self.worked))
        setter(self, "_span_us", span_us)
        setter(self, "_day_us", sum(end - start for start, end in span_us))
        off = {d.toordinal() for d in self.holidays - self.worked}
        ordinals = [
            o
            for o in range(self.first.toordinal(), self.last.toordinal() + 1)
            if o not in off and date.fromordinal(o).weekday() < 5
        ]
        setter(self, "_ordinals", ordinals)
        setter(self, "_ordinal_set", frozenset(ordinals))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return (
            self._ordinals == other._ordinals
            and self._span_us == other._span_us
            and (self.first, self.last) == (other.first, other.last)
        )

    def __hash__(self) -> int:
        return hash((self.first, self.last, self._span_us, len(self._ordinals)))

    def with_changes(
        self,
        *,
        holidays: Iterable[date] = (),
        worked: Iterable[date] = (),
        spans: Sequence[str] | None = None,
    ) -> WorkCalendar:
        """A new calendar with more holidays (closures) and worked overrides."""
        return WorkCalendar(
            first=self.first,
            last=self.last,
            holidays=self.holidays | frozenset(holidays),
            worked=self.worked | frozenset(worked),
            spans=tuple(spans) if spans is not None else self.spans,
        )

    # -- internals: working time as an integer "position" in microseconds --------------

    def _check_ordinal(self, ordinal: int) -> None:
        if not self.first.toordinal() <= ordinal <= self.last.toordinal():
            raise ValueError(
                f"{date.fromordinal(ordinal)} is outside the working calendar "
                f"({self.first}..{self.last})"
            )

    def _position(self, moment: datetime) -> int:
        """Working microseconds from the calendar's first working moment to `moment`."""
        local = moment.astimezone(SEOUL)
        ordinal = local.toordinal()
        self._check_ordinal(ordinal)
        index = bisect_left(self._ordinals, ordinal)
        position = index * self._day_us
        if index < len(self._ordinals) and self._ordinals[index] == ordinal:
            of_day = (
                local.hour * _US_PER_HOUR
                + local.minute * _US_PER_MINUTE
                + local.second * 1_000_000
                + local.microsecond
            )
            for start, end in self._span_us:
                if of_day <= start:
                    break
                position += (end if of_day >= end else of_day) - start
        return position

    def _moment(self, position: int) -> datetime:
        """The earliest instant whose working position is `position` (the inverse)."""
        index, rest = divmod(position, self._day_us)
        if rest == 0 and index > 0:
            # The budget runs out exactly at the end of a day: due at that day's end.
            index, rest = index - 1, self._day_us
        if index >= len(self._ordinals):
            raise ValueError(f"due time beyond the working calendar (last day {self.last})")
        of_day = 0
        for start, end in self._span_us:
            length = end - start
            if rest <= length:
                of_day = start + rest
                break
            rest -= length
        day = date.fromordinal(self._ordinals[index])
        return datetime(day.year, day.month, day.day, tzinfo=SEOUL) + timedelta(microseconds=of_day)

    def _end_of_working_day(self, index: int) -> datetime:
        if index >= len(self._ordinals):
            raise ValueError(f"due time beyond the working calendar (last day {self.last})")
        day = date.fromordinal(self._ordinals[index])
        return datetime(day.year, day.month, day.day, tzinfo=SEOUL) + timedelta(
            microseconds=self._span_us[-1][1]
        )

    def _first_working_index(self, moment: datetime) -> int:
        """Index of the first working day on or after `moment`'s local date."""
        ordinal = moment.astimezone(SEOUL).toordinal()
        self._check_ordinal(ordinal)
        return bisect_left(self._ordinals, ordinal)


@functools.cache
def national_calendar(
    first_year: int = 2020, last_year: int = 2040, spans: tuple[str, ...] = DEFAULT_SPANS
) -> WorkCalendar:
    """The calendar of South Korea's public holidays (the `holidays` package, substitute
    holidays and election days included), without county closures. Cached per arguments."""
    import holidays as holidays_package  # imported here: only this builder needs it

    kr = holidays_package.country_holidays("KR", years=range(first_year, last_year + 1))
    return WorkCalendar(
        first=date(first_year, 1, 1),
        last=date(last_year, 12, 31),
        holidays=frozenset(kr.keys()),
        spans=spans,
    )


_provider: Callable[[], WorkCalendar] | None = None
_legal_provider: Callable[[], WorkCalendar] | None = None


def register_calendar_provider(
    provider: Callable[[], WorkCalendar] | None, *, legal: bool = False
) -> Callable[[], WorkCalendar] | None:
    """Make `provider()` the calendar used when a call passes no `calendar=`: the legal
    calendar with `legal=True`, else the internal one (L8).

    The complaints app registers both providers in `ready()`. Returns the provider it
    replaces, so a caller can put it back.
    """
    global _provider, _legal_provider
    if legal:
        previous, _legal_provider = _legal_provider, provider
    else:
        previous, _provider = _provider, provider
    return previous


def get_calendar(calendar: WorkCalendar | None = None, *, legal: bool = False) -> WorkCalendar:
    """`calendar` if given, else the registered provider's (the legal one with
    `legal=True`), else the national calendar."""
    if calendar is not None:
        return calendar
    provider = _legal_provider if legal else _provider
    if provider is not None:
        return provider()
    return national_calendar()


# --- Input checks --------------------------------------------------------------------


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got the naive datetime {moment})")
    return moment


def _amount(value: float, name: str, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    if value < 0 or (value == 0 and not allow_zero) or value != value:  # NaN
        raise ValueError(f"{name} must be {'zero or more' if allow_zero else 'positive'}")
    return value


def _period(period_days: int, *, immediate: bool = True) -> int:
    """A legal period in days; `IMMEDIATE_PERIOD` (0) is "즉시" where `immediate`."""
    if isinstance(period_days, bool) or not isinstance(period_days, int):
        raise TypeError("period_days must be a whole number of days")
    if period_days == IMMEDIATE_PERIOD and immediate:
        return period_days
    if period_days < 1:
        raise ValueError(f"period_days must be at least 1 (got {period_days})")
    return period_days


def counted_in_days(period_days: int) -> bool:
    """True for a period counted in days (6 days or more, 법 제19조제2항); False for one
    counted in working hours (5 days or less, and "즉시")."""
    return _period(period_days) > HOUR_RULE_MAX_DAYS


# --- The public functions ------------------------------------------------------------


def is_working_day(day: date, *, calendar: WorkCalendar | None = None, legal: bool = False) -> bool:
    """True when `day` counts: a weekday that is not a holiday or closure (or is a holiday
    the county works); with `legal=True`, a weekday that is not a public holiday. An
    aware datetime is read as its Asia/Seoul date."""
    if isinstance(day, datetime):
        day = _aware(day, "day").astimezone(SEOUL).date()
    cal = get_calendar(calendar, legal=legal)
    ordinal = day.toordinal()
    cal._check_ordinal(ordinal)
    return ordinal in cal._ordinal_set


def add_working_hours(
    start: datetime, hours: float, *, calendar: WorkCalendar | None = None, legal: bool = False
) -> datetime:
    """The earliest instant at which `hours` working hours have elapsed since `start`.

    Time before the next working moment does not count (a receipt at night starts at the
    next 09:00). A budget ending at a span's end is due at that end (12:00, 18:00).
    Zero hours returns `start` itself.
    """
    _aware(start, "start")
    _amount(hours, "hours", allow_zero=True)
    if hours == 0:
        return start.astimezone(SEOUL)
    cal = get_calendar(calendar, legal=legal)
    return cal._moment(cal._position(start) + round(hours * _US_PER_HOUR))


def add_working_days(
    start: datetime, days: float, *, calendar: WorkCalendar | None = None
) -> datetime:
    """`days` working days after `start`, counted with the hours rule (8 working hours a
    day) from the instant `start`: the stage budgets of C2 use this."""
    _amount(days, "days", allow_zero=True)
    return add_working_hours(start, days * HOURS_PER_DAY, calendar=calendar)


def working_hours_between(
    a: datetime, b: datetime, *, calendar: WorkCalendar | None = None, legal: bool = False
) -> float:
    """Working hours from `a` to `b` (negative when `b` is before `a`)."""
    _aware(a, "a")
    _aware(b, "b")
    cal = get_calendar(calendar, legal=legal)
    return (cal._position(b) - cal._position(a)) / _US_PER_HOUR


def legal_due_at(
    received_at: datetime, period_days: int, *, calendar: WorkCalendar | None = None
) -> datetime:
    """The legal due time (법정처리기한) of a filing received at `received_at`.

    "즉시" (`IMMEDIATE_PERIOD`): 3 working hours from the instant of receipt (시행령 제19조).
    5 days or less: counted in working hours from the instant of receipt, 8 hours a day.
    6 days or more: counted in days, the receipt date being day 1 when it is a working day
    (else the next working day is), Saturdays and holidays skipped; due at the end of the
    last span of the last day. Counted with the legal calendar (L8).
    """
    _aware(received_at, "received_at")
    _period(period_days)
    cal = get_calendar(calendar, legal=True)
    if period_days == IMMEDIATE_PERIOD:
        return add_working_hours(received_at, IMMEDIATE_HOURS, calendar=cal)
    if period_days <= HOUR_RULE_MAX_DAYS:
        return add_working_hours(received_at, period_days * HOURS_PER_DAY, calendar=cal)
    return cal._end_of_working_day(cal._first_working_index(received_at) + period_days - 1)


def _stage_key(stage: str) -> str:
    key = STAGE_ALIASES.get(stage, stage)
    if key not in STAGE_BUDGET_DAYS:
        known = ", ".join(STAGE_BUDGET_DAYS)
        raise ValueError(f"stage {stage!r} has no budget (stages with one: {known})")
    return key


def stage_due_at(
    entered_at: datetime, stage: str, *, calendar: WorkCalendar | None = None
) -> datetime:
    """When the stage entered at `entered_at` is due (C2): its budget in working days,
    counted with the hours rule from the moment it was entered. `stage` is a key of
    `STAGE_BUDGET_DAYS` (or a short name of `STAGE_ALIASES`)."""
    days = STAGE_BUDGET_DAYS[_stage_key(stage)]
    return add_working_days(entered_at, days, calendar=calendar)


def transfer_due_at(
    received_at: datetime, kind: str, *, calendar: WorkCalendar | None = None
) -> datetime:
    """When a transfer must be done (시행령 제13조); `kind` is a key of
    `TRANSFER_LIMIT_HOURS`. Counted with the legal calendar."""
    if kind not in TRANSFER_LIMIT_HOURS:
        raise ValueError(
            f"unknown transfer kind {kind!r} (one of {', '.join(TRANSFER_LIMIT_HOURS)})"
        )
    return add_working_hours(
        received_at, TRANSFER_LIMIT_HOURS[kind], calendar=get_calendar(calendar, legal=True)
    )


def immediate_due_at(received_at: datetime, *, calendar: WorkCalendar | None = None) -> datetime:
    """ "즉시" (immediately): within 3 working hours of receipt (시행령 제19조); the same as
    `legal_due_at(received_at, IMMEDIATE_PERIOD)`."""
    return legal_due_at(received_at, IMMEDIATE_PERIOD, calendar=calendar)


def _resumed_in_hours(
    cal: WorkCalendar, due_at: datetime, held_at: datetime, resumed_at: datetime
) -> datetime:
    remaining = cal._position(due_at) - cal._position(held_at)
    if remaining <= 0:
        return due_at.astimezone(SEOUL)
    return max(cal._moment(cal._position(resumed_at) + remaining), resumed_at.astimezone(SEOUL))


def _check_hold(due_at: datetime, held_at: datetime, resumed_at: datetime) -> None:
    for value, name in ((due_at, "due_at"), (held_at, "held_at"), (resumed_at, "resumed_at")):
        _aware(value, name)
    if resumed_at < held_at:
        raise ValueError("resumed_at must not be before held_at")


def resumed_due_at(
    due_at: datetime,
    held_at: datetime,
    resumed_at: datetime,
    *,
    period_days: int,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """The legal due time after a hold (보완, 시행령 제20조 → 행정절차법 시행령 제11조):
    the time of the hold is not counted, in the unit the period is counted in (L2).

    A period counted in hours (5 days or less, "즉시"): the working time that remained
    at `held_at` is counted again from `resumed_at`.
    A period counted in days (6 days or more, `period_days`): the excluded time is whole
    working days, every working day that has working time inside the hold (from the
    request to the answer, both days included); the due time moves by that many working
    days and stays at a working day's end. A hold that has no working time in it (it
    begins and ends outside working time) changes nothing.
    A hold that began at or after the due time changes nothing either (the time had
    already run out). Counted with the legal calendar.
    """
    _check_hold(due_at, held_at, resumed_at)
    cal = get_calendar(calendar, legal=True)
    if not counted_in_days(period_days):
        return _resumed_in_hours(cal, due_at, held_at, resumed_at)
    due_position = cal._position(due_at)
    held_position = cal._position(held_at)
    if held_position >= due_position:
        return due_at.astimezone(SEOUL)
    day = cal._day_us
    # The first working day with working time after `held_at`, and the last one with
    # working time before `resumed_at` (a position on a day boundary belongs to neither
    # the day that ended nor the day not yet begun).
    first_held = held_position // day
    last_held = (cal._position(resumed_at) - 1) // day
    if last_held < first_held:
        return due_at.astimezone(SEOUL)
    due_index = (due_position - 1) // day
    return cal._end_of_working_day(due_index + last_held - first_held + 1)


def resumed_stage_due_at(
    stage_due_at: datetime,
    held_at: datetime,
    resumed_at: datetime,
    *,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """A stage budget after a hold: the working time that remained at `held_at` is
    counted again from `resumed_at` (stage budgets are working hours, internal calendar)."""
    _check_hold(stage_due_at, held_at, resumed_at)
    return _resumed_in_hours(get_calendar(calendar), stage_due_at, held_at, resumed_at)


def extended_due_at(
    due_at: datetime,
    period_days: int,
    extension_days: int,
    *,
    extensions_so_far: int = 0,
    citizen_consent: bool = False,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """The due time after extending by `extension_days` (처리기간 연장, 시행령 제21조, L1).

    At most `MAX_EXTENSIONS` (two) extensions, each no longer than the original period
    `period_days`; the second needs the citizen's consent (`citizen_consent=True`). A
    "즉시" period is not extended in days. The extension counts 8 working hours a day
    from the current due time (for a period of 6 days or more the current due time is a
    day's end, so this is the same as adding working days). Counted with the legal
    calendar. Raises `ExtensionRefused` (a `ValueError`) with a Korean message and a
    `code`: `not_positive`, `immediate`, `too_many`, `longer_than_period`,
    `consent_required`.
    """
    _aware(due_at, "due_at")
    _period(period_days)
    if isinstance(extension_days, bool) or not isinstance(extension_days, int):
        raise TypeError("extension_days must be a whole number of days")
    if isinstance(extensions_so_far, bool) or not isinstance(extensions_so_far, int):
        raise TypeError("extensions_so_far must be a whole number")
    if extensions_so_far < 0:
        raise ValueError("extensions_so_far must not be negative")
    if extension_days < 1:
        raise ExtensionRefused("연장 기간은 1일 이상이어야 합니다.", "not_positive")
    if period_days == IMMEDIATE_PERIOD:
        raise ExtensionRefused(
            "즉시 처리하는 민원(3근무시간)은 일 단위로 연장할 수 없습니다.", "immediate"
        )
    if extensions_so_far >= MAX_EXTENSIONS:
        raise ExtensionRefused(
            "처리기간은 두 번까지만 연장할 수 있습니다(민원 처리에 관한 법률 시행령 제21조).",
            "too_many",
        )
    if extension_days > period_days:
        raise ExtensionRefused(
            f"처리기간은 원래 처리기간({period_days}일)의 범위에서만 연장할 수 있습니다"
            f" (요청 {extension_days}일).",
            "longer_than_period",
        )
    if extensions_so_far >= 1 and not citizen_consent:
        raise ExtensionRefused(
            "처리기간을 다시 연장하려면 민원인의 동의가 필요합니다"
            "(민원 처리에 관한 법률 시행령 제21조).",
            "consent_required",
        )
    return add_working_hours(
        due_at, extension_days * HOURS_PER_DAY, calendar=get_calendar(calendar, legal=True)
    )


def counted_spans(
    a: datetime, b: datetime, *, calendar: WorkCalendar | None = None, legal: bool = False
) -> list[tuple[datetime, datetime]]:
    """The working spans counted between `a` and `b`, as (start, end) pairs in Asia/Seoul,
    for explanations (`manage.py deadline --explain`). Walks the days: not for hot paths."""
    _aware(a, "a")
    _aware(b, "b")
    cal = get_calendar(calendar, legal=legal)
    a, b = a.astimezone(SEOUL), b.astimezone(SEOUL)
    pieces: list[tuple[datetime, datetime]] = []
    index = cal._first_working_index(a)
    last_ordinal = b.toordinal()
    while index < len(cal._ordinals) and cal._ordinals[index] <= last_ordinal:
        day = date.fromordinal(cal._ordinals[index])
        midnight = datetime.combine(day, time(0), tzinfo=SEOUL)
        for start_us, end_us in cal._span_us:
            start = max(midnight + timedelta(microseconds=start_us), a)
            end = min(midnight + timedelta(microseconds=end_us), b)
            if start < end:
                pieces.append((start, end))
        index += 1
    return pieces
