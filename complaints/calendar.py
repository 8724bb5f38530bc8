"""The working calendars inside Django: national holidays plus the days managers enter.

Two calendars (L8): `legal_calendar()` leaves out Saturdays, Sundays, the national
holidays and the government's temporary holidays (`Closure` of kind `public_holiday`),
and nothing else: legal periods count with it. `current_calendar()` also leaves out the
county's own closures and counts holidays marked worked: the internal stage budgets
count with it. Both are the providers the complaints app registers with
`complaints.deadlines` in `ready()`.

The closures are read with one query into Django's shared cache (`cache.get_or_set`:
Redis, or the file cache of the embedded setup), and that entry is dropped whenever a
`Closure` is saved or deleted (`closures_changed`, at once and again after the commit):
every process counts with a change at its next call, without a restart. Each process
builds the calendars of a given list of closures once. While a transaction that changed
a closure is still open, this process reads the closures from the database and shares
nothing, so a change that is rolled back never reaches another process. Without the
cache (an outage) every call reads the closures from the database.

Settings: `WORKING_SPANS` (the spans of a working day) and `DEADLINE_CALENDAR_YEARS`
(the first and last year the calendar covers).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .deadlines import WorkCalendar, national_calendar

CLOSURES_KEY = "complaints:calendar:closures"
# Set on the database connection while its open transaction has changed a closure.
_PENDING = "complaints_closures_pending"

Closures = tuple[tuple[date, str, bool], ...]


def _read_closures() -> Closures:
    # Models are imported lazily: this module loads in ready().
    from .models.calendar import Closure

    rows = Closure.objects.order_by("date", "kind", "is_worked")
    return tuple(rows.values_list("date", "kind", "is_worked"))


def closures() -> Closures:
    """(date, kind, is_worked) of every closure, as this process should count them now."""
    connection = transaction.get_connection()
    if getattr(connection, _PENDING, False):
        if connection.in_atomic_block:
            return _read_closures()
        # The transaction ended: committed (its hook dropped the cache entry) or rolled back.
        setattr(connection, _PENDING, False)
    return cast(Closures, cache.get_or_set(CLOSURES_KEY, _read_closures, timeout=None))


@lru_cache(maxsize=8)
def build_calendars(
    rows: Closures, years: tuple[int, int], spans: tuple[str, ...]
) -> tuple[WorkCalendar, WorkCalendar]:
    """(internal, legal) for these closures. Temporary public holidays go into both;
    county closures and worked holidays into the internal one only."""
    from .models.calendar import ClosureKind

    legal = national_calendar(*years, spans)
    public = [
        day for day, kind, worked in rows if not worked and kind == ClosureKind.PUBLIC_HOLIDAY
    ]
    closed = [
        day for day, kind, worked in rows if not worked and kind != ClosureKind.PUBLIC_HOLIDAY
    ]
    worked = [day for day, _kind, is_worked in rows if is_worked]
    if public:
        legal = legal.with_changes(holidays=public)
    if not closed and not worked:
        return legal, legal
    return legal.with_changes(holidays=closed, worked=worked), legal


def _calendars() -> tuple[WorkCalendar, WorkCalendar]:
    first, last = settings.DEADLINE_CALENDAR_YEARS
    return build_calendars(closures(), (first, last), tuple(settings.WORKING_SPANS))


def current_calendar() -> WorkCalendar:
    """The internal calendar to count with now (stage budgets)."""
    return _calendars()[0]


def legal_calendar() -> WorkCalendar:
    """The legal calendar to count with now (L8)."""
    return _calendars()[1]


def _drop_shared() -> None:
    cache.delete(CLOSURES_KEY)


def closures_changed(sender, **kwargs) -> None:
    """post_save / post_delete receiver for `Closure`: drop the shared entry now and again
    after the commit (another process may have read the old rows in between); until
    then this process reads the closures from its own transaction."""
    connection = transaction.get_connection(kwargs.get("using"))
    _drop_shared()
    if connection.in_atomic_block:
        setattr(connection, _PENDING, True)
    transaction.on_commit(_drop_shared, using=kwargs.get("using"))
