"""Reporting periods in Asia/Seoul: this week, month, quarter, year, or from–to."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext_lazy as _

SEOUL = ZoneInfo("Asia/Seoul")
MAX_RANGE_DAYS = 731  # two years, a leap day included

PERIOD_CHOICES = [
    ("week", _("이번 주")),
    ("month", _("이번 달")),
    ("quarter", _("이번 분기")),
    ("year", _("올해")),
    ("custom", _("기간 지정")),
]
DEFAULT_PERIOD = "month"
# The periods named by the day they contain, whose figures the schedule computes ahead.
NAMED_PERIODS = tuple(kind for kind, _label in PERIOD_CHOICES if kind != "custom")


@dataclass(frozen=True)
class Period:
    """[start, end) as aware datetimes; `first` and `last` are the Seoul dates shown."""

    kind: str
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=SEOUL)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=SEOUL)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def seoul_today(now: datetime) -> date:
    return now.astimezone(SEOUL).date()


def period_for(kind: str, now: datetime, first: date | None = None, last: date | None = None):
    """The period of `kind` that contains `now` (custom: `first`..`last`, inclusive)."""
    today = seoul_today(now)
    if kind == "week":
        start = today - timedelta(days=today.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == "quarter":
        month = 3 * ((today.month - 1) // 3) + 1
        start = date(today.year, month, 1)
        return Period(kind, start, _month_end(date(today.year, month + 2, 1)))
    if kind == "year":
        return Period(kind, date(today.year, 1, 1), date(today.year, 12, 31))
    if kind == "custom" and first is not None and last is not None:
        return Period(kind, first, last)
    start = today.replace(day=1)
    return Period("month", start, _month_end(start))


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


@functools.lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[date]:
    """The national holidays of a year: built once per process (building them takes
    milliseconds, which the dashboard would otherwise pay on every request)."""
    return frozenset(holidays.country_holidays("KR", years=year))


def working_days(first: date, last: date) -> int:
    """Weekdays that are not national holidays (KR, substitute holidays included); the
    managers' one-off closures are left out here, so this can only over-count."""
    if last < first:
        return 0
    off = frozenset().union(*(_holidays(year) for year in range(first.year, last.year + 1)))
    count = 0
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in off:
            count += 1
        day += timedelta(days=1)
    return count
