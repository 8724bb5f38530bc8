"""The clock inside Django (O2, C2): closures that managers enter, the shared-cache
invalidation, the admin and the `deadline` command.

Expected values are worked out by hand from the calendar (see test_deadlines.py).
"""

import os
import subprocess
import sys
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from complaints import calendar as work_calendar
from complaints import deadlines
from complaints.deadlines import SEOUL, legal_due_at, stage_due_at
from complaints.models import Closure
from complaints.models.calendar import ClosureKind

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db
# A government temporary holiday: it moves legal periods (L8), so the freshness tests use it.
PUBLIC = ClosureKind.PUBLIC_HOLIDAY


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """A rolled-back test transaction sends no signal: start and end with no shared entry
    and no closure change pending on the connection."""
    cache.delete(work_calendar.CLOSURES_KEY)
    setattr(connection, work_calendar._PENDING, False)
    yield
    cache.delete(work_calendar.CLOSURES_KEY)
    setattr(connection, work_calendar._PENDING, False)


def test_O2_the_app_registers_its_calendar_provider():
    assert deadlines._provider is work_calendar.current_calendar
    assert deadlines._legal_provider is work_calendar.legal_calendar


def test_O2_adding_a_closure_changes_a_deadline_without_restart():
    received = kst(2026, 11, 23, 10, 0)  # Monday
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)
    closure = Closure.objects.create(date=date(2026, 11, 24), name="군 휴무일", kind=PUBLIC)
    # Tuesday is closed: Mon 7 h, Wed 09:00 + 1 h.
    assert legal_due_at(received, 1) == kst(2026, 11, 25, 10, 0)
    assert stage_due_at(received, "assigned") == kst(2026, 11, 25, 10, 0)
    closure.delete()
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)


def test_L8_worked_holiday_moves_stage_budgets_but_never_shortens_a_legal_period():
    received = kst(2026, 6, 2, 10, 0)
    assert legal_due_at(received, 1) == kst(2026, 6, 4, 10, 0)  # 06-03 election day off
    Closure.objects.create(date=date(2026, 6, 3), name="선거일 근무", is_worked=True)
    assert legal_due_at(received, 1) == kst(2026, 6, 4, 10, 0)
    assert stage_due_at(received, "assigned") == kst(2026, 6, 3, 10, 0)
    assert deadlines.is_working_day(date(2026, 6, 3)) is True
    assert deadlines.is_working_day(date(2026, 6, 3), legal=True) is False


def test_L8_worked_hangul_day_does_not_pull_a_two_day_filing_earlier():
    # Thu 2026-10-08 10:00, 2 days (16 h): Thu 7, 10-09 한글날 off, Mon 8 (15), Tue + 1.
    received = kst(2026, 10, 8, 10, 0)
    Closure.objects.create(date=date(2026, 10, 9), name="한글날 근무", is_worked=True)
    assert legal_due_at(received, 2) == kst(2026, 10, 13, 10, 0)


def test_L8_county_closure_never_lengthens_a_legal_deadline():
    received = kst(2026, 11, 23, 10, 0)  # Monday
    Closure.objects.create(date=date(2026, 11, 24), name="군 휴무일")  # kind: county
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)
    assert legal_due_at(received, 7) == kst(2026, 12, 1, 18, 0)
    # The internal stage budget skips the closed Tuesday: Mon 7, Wed 09:00 + 1 h.
    assert stage_due_at(received, "assigned") == kst(2026, 11, 25, 10, 0)


def test_L8_government_temporary_holiday_is_left_out_of_legal_periods():
    received = kst(2026, 11, 23, 10, 0)
    Closure.objects.create(date=date(2026, 11, 24), name="임시공휴일", kind=PUBLIC)
    assert legal_due_at(received, 1) == kst(2026, 11, 25, 10, 0)
    assert deadlines.is_working_day(date(2026, 11, 24), legal=True) is False


def test_O2_editing_a_closure_into_an_override_takes_effect():
    closure = Closure.objects.create(date=date(2026, 11, 24), name="군 휴무일")
    assert deadlines.is_working_day(date(2026, 11, 24)) is False
    closure.is_worked = True
    closure.save()
    assert deadlines.is_working_day(date(2026, 11, 24)) is True


def test_O2_another_process_sees_a_change_once_the_shared_entry_is_dropped():
    received = kst(2026, 11, 23, 10, 0)
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)
    # Another process saved a closure: the row is there, but this process got no signal
    # (bulk_create sends none) and counts with the shared entry.
    Closure.objects.bulk_create([Closure(date=date(2026, 11, 24), name="군 휴무일", kind=PUBLIC)])
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)  # not told yet
    cache.delete(work_calendar.CLOSURES_KEY)  # what the other process's signal does
    assert legal_due_at(received, 1) == kst(2026, 11, 25, 10, 0)


@pytest.mark.django_db(transaction=True)
def test_O2_a_rolled_back_closure_does_not_linger():
    received = kst(2026, 11, 23, 10, 0)
    with pytest.raises(RuntimeError), transaction.atomic():
        Closure.objects.create(date=date(2026, 11, 24), name="취소될 휴무일", kind=PUBLIC)
        assert legal_due_at(received, 1) == kst(2026, 11, 25, 10, 0)  # seen inside
        # ... but not shared with other processes while the transaction is open.
        assert cache.get(work_calendar.CLOSURES_KEY) is None
        raise RuntimeError("the admin form failed after the save")
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)
    assert cache.get(work_calendar.CLOSURES_KEY) == ()


@pytest.mark.django_db(transaction=True)
def test_O2_a_committed_closure_counts_after_the_commit():
    received = kst(2026, 11, 23, 10, 0)
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)
    with transaction.atomic():
        Closure.objects.create(date=date(2026, 11, 24), name="군 휴무일", kind=PUBLIC)
    assert legal_due_at(received, 1) == kst(2026, 11, 25, 10, 0)


@pytest.fixture
def private_cache(settings):
    """A cache of this test's own, so no other process on the machine drops its entry."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clock"}
    }


@pytest.mark.usefixtures("private_cache")
@pytest.mark.django_db(transaction=True)
def test_O2_the_closures_are_read_once_until_one_changes(django_assert_num_queries):
    received = kst(2026, 11, 23, 10, 0)
    with django_assert_num_queries(1):
        for period in range(1, 30):
            legal_due_at(received, period)
    Closure.objects.create(date=date(2026, 11, 24), name="군 휴무일", kind=PUBLIC)
    with django_assert_num_queries(1):
        assert legal_due_at(received, 1) == kst(2026, 11, 25, 10, 0)
        legal_due_at(received, 4)


@pytest.mark.usefixtures("private_cache")
def test_O2_without_the_shared_cache_every_call_reads_the_closures(
    django_assert_num_queries, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    Closure.objects.bulk_create([Closure(date=date(2026, 11, 24), name="군 휴무일", kind=PUBLIC)])
    with django_assert_num_queries(2):
        assert legal_due_at(kst(2026, 11, 23, 10, 0), 1) == kst(2026, 11, 25, 10, 0)
        legal_due_at(kst(2026, 11, 23, 10, 0), 4)


WATCHER = """
import sys, django
django.setup()
from datetime import datetime
from complaints.deadlines import legal_due_at
for line in sys.stdin:
    when, days = line.split()
    print(legal_due_at(datetime.fromisoformat(when), int(days)).isoformat(), flush=True)
"""


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_O2_a_closure_reaches_a_running_process_through_redis():
    """A second, long-running process (another web worker) sees the closure at once."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yeoncheon_portal.settings"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:

        def ask() -> str:
            watcher.stdin.write("2026-11-23T10:00:00+09:00 1\n")
            watcher.stdin.flush()
            return watcher.stdout.readline().strip()

        assert ask() == "2026-11-24T10:00:00+09:00"
        assert ask() == "2026-11-24T10:00:00+09:00"  # from the shared entry
        Closure.objects.create(date=date(2026, 11, 24), name="군 휴무일", kind=PUBLIC)  # committed
        # Its next call counts with the closure: the save dropped the shared entry.
        assert ask() == "2026-11-25T10:00:00+09:00"
    finally:
        watcher.stdin.close()
        watcher.wait(timeout=30)


def test_O2_working_spans_come_from_settings(settings):
    settings.WORKING_SPANS = ["09:00-11:00", "12:00-18:00"]
    assert deadlines.add_working_hours(kst(2026, 11, 23, 9, 0), 3) == kst(2026, 11, 23, 13, 0)


def test_O2_closure_admin_lists_filters_and_searches(admin_client):
    Closure.objects.create(date=date(2026, 11, 24), name="군민의 날 휴무", kind=PUBLIC)
    Closure.objects.create(date=date(2027, 3, 2), name="다른 휴무", kind=PUBLIC)
    url = "/admin/complaints/closure/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "군민의 날 휴무" in page.content.decode()
    by_year = admin_client.get(url, {"year": "2027"}).content.decode()
    assert "다른 휴무" in by_year and "군민의 날 휴무" not in by_year
    found = admin_client.get(url, {"q": "군민"}).content.decode()
    assert "군민의 날 휴무" in found and "다른 휴무" not in found


def test_O2_closure_admin_refuses_a_worked_weekend(admin_client):
    response = admin_client.post(
        "/admin/complaints/closure/add/",
        {"date": "2026-11-28", "name": "토요 근무", "kind": "county", "is_worked": "on"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Closure.objects.exists()


def test_O2_closure_added_in_the_admin_moves_the_deadline(admin_client):
    received = kst(2026, 11, 23, 10, 0)
    assert legal_due_at(received, 1) == kst(2026, 11, 24, 10, 0)
    response = admin_client.post(
        "/admin/complaints/closure/add/",
        {"date": "2026-11-24", "name": "임시공휴일", "kind": "public_holiday"},
    )
    assert response.status_code == 302
    assert legal_due_at(received, 1) == kst(2026, 11, 25, 10, 0)


# --- The command ------------------------------------------------------------------


def run_deadline(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_O2_cli_prints_the_due_time_in_iso_8601():
    # 2026-09-22 10:00 + 3 days crosses 추석 (09-24/25): see test_deadlines.py.
    assert run_deadline("2026-09-22T10:00", "--days", "3").strip() == "2026-09-29T10:00:00+09:00"


@pytest.mark.parametrize(
    ("args", "received", "period"),
    [
        (("2026-11-23T10:00", "--days", "5"), kst(2026, 11, 23, 10, 0), 5),
        (("2026-11-28T11:00", "--days", "6"), kst(2026, 11, 28, 11, 0), 6),
        (("2026-12-24T05:00:00+00:00", "--days", "5"), kst(2026, 12, 24, 14, 0), 5),
        (("2027-09-13T09:00", "--days", "60"), kst(2027, 9, 13, 9, 0), 60),
    ],
)
def test_O2_cli_gives_the_api_answer(args, received, period):
    assert run_deadline(*args).strip() == legal_due_at(received, period).isoformat()


def test_O2_cli_sees_closures():
    Closure.objects.create(date=date(2026, 11, 24), name="군 휴무일", kind=PUBLIC)
    assert run_deadline("2026-11-23T10:00", "--days", "1").strip() == "2026-11-25T10:00:00+09:00"


def test_L4_cli_days_zero_is_immediate():
    # Mon 11:00 + 3 working hours: 11–12, 13:00 + 2 h.
    assert run_deadline("2026-11-23T11:00", "--days", "0").strip() == "2026-11-23T15:00:00+09:00"


def test_C2_cli_stage_budget():
    # investigate: Fri 09-18 15:00 + 16 h → Tue 09-22 15:00.
    assert run_deadline("2026-09-18T15:00", "--stage", "investigate").strip() == (
        "2026-09-22T15:00:00+09:00"
    )
    assert run_deadline("2026-11-23T10:00", "--stage", "assign").strip() == (
        stage_due_at(kst(2026, 11, 23, 10, 0), "assigned").isoformat()
    )


def test_O2_cli_explain_lists_the_spans_counted():
    lines = run_deadline("2026-09-22T10:00", "--days", "3", "--explain").splitlines()
    assert lines[0] == "2026-09-29T10:00:00+09:00"
    spans = [line.split()[0:3] for line in lines[2:]]
    assert spans == [
        ["2026-09-22", "Tue", "10:00–12:00"],
        ["2026-09-22", "Tue", "13:00–18:00"],
        ["2026-09-23", "Wed", "09:00–12:00"],
        ["2026-09-23", "Wed", "13:00–18:00"],
        ["2026-09-28", "Mon", "09:00–12:00"],
        ["2026-09-28", "Mon", "13:00–18:00"],
        ["2026-09-29", "Tue", "09:00–10:00"],
    ]
    assert lines[-1].endswith("(total 24 h)")


@pytest.mark.parametrize(
    "args",
    [
        ("not-a-date", "--days", "3"),
        ("2026-09-22T10:00", "--days", "-1"),
        ("2026-09-22T10:00", "--days", "-2"),
        ("2026-09-22T10:00", "--days", "three"),
        ("2019-01-02T10:00", "--days", "3"),
    ],
)
def test_O2_cli_bad_input_is_a_command_error(args):
    with pytest.raises(CommandError):
        run_deadline(*args)


@pytest.mark.parametrize(
    "args", [("not-a-date", "--days", "3"), ("2026-09-22T10:00", "--days", "-1")]
)
def test_O2_cli_bad_input_exits_non_zero_with_one_line(args):
    result = subprocess.run(
        [sys.executable, "manage.py", "deadline", *args, "--skip-checks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("CommandError:")
