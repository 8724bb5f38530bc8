"""The working calendars inside Django: national holidays plus the days managers enter.

Two calendars (L8): `legal_calendar()` leaves out Saturdays, Sundays, the national
holidays and the government's temporary holidays (`Closure` of kind `public_holiday`),
and nothing else: legal periods count with it. `current_calendar()` also leaves out the
county's own closures and counts holidays marked worked: the internal stage budgets
count with it. Both are the providers the complaints app registers with
`complaints.deadlines` in `ready()`. Each process keeps one pair and rebuilds it only
when the closures change. Processes learn of a change through a version token in
Django's shared cache (Redis, or the file cache of the embedded setup): a `Closure` save
or delete replaces the token (`closures_changed`, connected to post_save/post_delete in
`ready()`) and drops this process's copy at once; every other process compares its own
token with the shared one (one cache read, at most once a second) and rebuilds (one
query) when they differ. A change therefore takes effect without a restart.

Settings (all optional):
- `WORKING_SPANS`: the spans of a working day (default 09:00-12:00, 13:00-18:00).
- `DEADLINE_CALENDAR_YEARS`: (first, last) years the calendar covers (default 2020–2040).
- `DEADLINE_CALENDAR_RECHECK_SECONDS`: how long a process trusts its token before it
  reads the shared one again (default 1 second; 0 reads it on every call).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .deadlines import DEFAULT_SPANS, WorkCalendar, national_calendar

VERSION_KEY = "complaints:calendar:version"
#: How long a process trusts its copy before it reads the shared token again. Changes made
#: in this process are seen at once (the signal drops the copy); changes made by another
#: process are seen within this many seconds. A Redis read costs about 0.15 ms, a whole
#: deadline computation about 0.005 ms: reading on every call would make the cache read
#: the clock's whole cost.
RECHECK_SECONDS = 1.0
#: When the shared cache cannot give a token (outage), rebuild at most this often.
UNKNOWN_VERSION_REBUILD_SECONDS = 5.0


@dataclass
class _Local:
    """This process's copy of the calendar and what it was built from."""

    calendar: WorkCalendar | None = None
    legal: WorkCalendar | None = None
    version: str | None = None
    config: tuple | None = None
    built_at: float = 0.0
    checked_at: float = 0.0
    # A closure changed inside a transaction not yet committed (see closures_changed).
    uncommitted: bool = False


_lock = threading.Lock()
_local = _Local()


def _years() -> tuple[int, int]:
    first, last = getattr(settings, "DEADLINE_CALENDAR_YEARS", (2020, 2040))
    return int(first), int(last)


def _spans() -> tuple[str, ...]:
    return tuple(getattr(settings, "WORKING_SPANS", DEFAULT_SPANS))


def build_calendars() -> tuple[WorkCalendar, WorkCalendar]:
    """(internal, legal): national holidays (cached per process) plus the `Closure` rows,
    in one query. Temporary public holidays go into both; county closures and worked
    holidays into the internal one only."""
    # Models are imported lazily: this module loads in ready().
    from .models.calendar import Closure, ClosureKind

    first, last = _years()
    national = national_calendar(first, last, _spans())
    public: list[date] = []
    closed: list[date] = []
    worked: list[date] = []
    for day, kind, is_worked in Closure.objects.values_list("date", "kind", "is_worked"):
        if is_worked:
            worked.append(day)
        elif kind == ClosureKind.PUBLIC_HOLIDAY:
            public.append(day)
        else:
            closed.append(day)
    legal = national.with_changes(holidays=public) if public else national
    if not closed and not worked:
        return legal, legal
    return legal.with_changes(holidays=closed, worked=worked), legal


def _shared_version() -> str | None:
    version = cache.get(VERSION_KEY)
    if version is None:
        # First process after a cache flush: plant a token everybody then agrees on.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def current_calendar() -> WorkCalendar:
    """The internal calendar to count with now: rebuilt when the shared version token
    changed."""
    return _calendars()[0]


def legal_calendar() -> WorkCalendar:
    """The legal calendar to count with now (L8): rebuilt with the internal one."""
    return _calendars()[1]


def _calendars() -> tuple[WorkCalendar, WorkCalendar]:
    global _local
    now = time.monotonic()
    if _local.uncommitted and not transaction.get_connection().in_atomic_block:
        # The transaction that changed a closure ended without its commit hook running:
        # it was rolled back, and the calendar built inside it may hold phantom rows.
        forget_local_calendar()
    config = (_years(), _spans())
    recheck = float(getattr(settings, "DEADLINE_CALENDAR_RECHECK_SECONDS", RECHECK_SECONDS))
    held = _local
    if (
        held.calendar is not None
        and held.legal is not None
        and held.config == config
        and now - held.checked_at < recheck
    ):
        return held.calendar, held.legal
    version = _shared_version()
    with _lock:
        held = _local
        if held.calendar is None or config != held.config:
            stale = True
        elif version is None:  # the shared cache is down: rebuild now and then
            stale = now - held.built_at >= UNKNOWN_VERSION_REBUILD_SECONDS
        else:
            stale = version != held.version
        calendar, legal = held.calendar, held.legal
        if stale or calendar is None or legal is None:
            calendar, legal = build_calendars()
            held = _Local(
                calendar, legal, version, config, built_at=now, uncommitted=held.uncommitted
            )
            _local = held
        held.checked_at = now
        return calendar, legal


def forget_local_calendar() -> None:
    """Drop this process's calendar (the next call rebuilds)."""
    global _local
    with _lock:
        _local = _Local()


def bump_version() -> None:
    """Tell every process that the closures changed."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    forget_local_calendar()


def closures_changed(sender, **kwargs) -> None:
    """post_save / post_delete receiver for `Closure`.

    Bumps at once (this process, and tests inside one transaction, see the change) and
    again after the commit, so another process that rebuilt in between from the not yet
    committed rows rebuilds once more. If the transaction rolls back instead, the next
    call outside it notices (`uncommitted` still set) and rebuilds.
    """
    using = kwargs.get("using")
    bump_version()
    if transaction.get_connection(using).in_atomic_block:
        _local.uncommitted = True
    transaction.on_commit(bump_version, using=using)
