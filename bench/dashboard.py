"""How fast is the managers' dashboard over a million filings, drawn cold?

Run from the repository root: `python bench/dashboard.py` (or `make bench`). It creates
its own PostgreSQL database (BENCH_DASHBOARD_DB, default `bench_dashboard`; dropped at the
end unless BENCH_KEEP=1), migrates it, seeds BENCH_ROWS filings (default 1,000,000) spread
over three years with their stage history, generated inside the database by INSERT …
SELECT generate_series, then measures, in one process with Django's test Client logged
in as a manager, the dashboard over several periods (this week, month, quarter and year,
and last year) and a bare Django view (a plain HttpResponse) through the same middleware:

* **drawn (cold)**: the cache emptied before every request, so every figure is computed
  by the database and the page drawn from scratch (BENCH_COLD_REQUESTS, default 5);
* **warm**: the period figures kept from the request before (BENCH_REQUESTS, default 15);

each with its median, p90, queries and ratio to the bare view, and the same for the
milliseconds of CPU this process spent (steadier than the wall clock on a busy machine,
and without the database's share). BENCH_REUSE=1 measures an
already seeded database of that name again without seeding it (to compare two versions
of the code on the same rows, one after the other). PostgreSQL comes from
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); if it does not
answer, the script prints "skipped: …" and exits 0.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.lib import pg  # noqa: E402

DB_NAME = os.environ.get("BENCH_DASHBOARD_DB", "bench_dashboard")
# BENCH_ROWS may list several sizes for the web bench ("10000,1000000"): take the largest.
ROWS = max(int(n) for n in os.environ.get("BENCH_ROWS", "1000000").split(",") if n.strip())
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "15"))
COLD_REQUESTS = int(os.environ.get("BENCH_COLD_REQUESTS", "5"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
BENCH_USER = "bench-manager"
DEPARTMENTS = 20
TYPES = 10


def say(message: str) -> None:
    print(message, flush=True)


def timed(label: str, cursor, sql: str, params=()) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params)
    say(f"  {label}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f}s")


# --- Seeding --------------------------------------------------------------------------------
COMPLAINTS_SQL = """
INSERT INTO complaints_complaint (
    receipt_year, receipt_seq, receipt_number, kind, complaint_type_id, channel,
    arrived_at, received_at, complainant_name, phone, email, address, lives_in_county,
    filer_type, priority_reasons, is_priority, visit_count, title, content, location_text,
    sms_consent, citizen_confirmed, department_id, owner_id, stage, stage_entered_at,
    stage_due_at, due_at, hold_reason, held_from_stage, extension_count, extension_consent,
    extension_reason, is_overdue, result_text, closed_at, refusal_reason,
    owner_notified_at, notice_delay_minutes, language, hold_round, hold_requested_late
)
SELECT
    extract(year FROM r.received_at AT TIME ZONE 'Asia/Seoul')::int,
    i, 'B' || lpad(i::text, 10, '0'), 'petition', t.id, r.channel,
    r.received_at, r.received_at, '홍길동', '01012345678', '', '', true,
    'individual', '[]'::jsonb, false, 1, '도로 파손', '내용', '',
    false, false, d.id, NULL, r.stage, r.received_at,
    CASE WHEN r.stage IN ('notified') THEN NULL ELSE r.received_at + interval '1 day' END,
    r.received_at + interval '9 days', '', '', 0, false,
    '', false, '', r.closed_at, '',
    CASE WHEN r.channel IN ('letter', 'fax') THEN r.received_at + r.notice END,
    CASE WHEN r.channel IN ('letter', 'fax')
         THEN (extract(epoch FROM r.notice) / 60)::int END,
    'ko', 0, false
FROM (
    SELECT
        i,
        now() - (i::float / %(rows)s) * interval '1095 days' AS received_at,
        (ARRAY['web','web','web','visit','phone','letter','fax','board','open311'])
            [1 + (i %% 9)] AS channel,
        CASE WHEN i %% 10 = 0 AND i < %(rows)s / 10 THEN
                 (ARRAY['received','assigned','investigating','verifying','correcting'])
                 [1 + (i / 10) %% 5]
             ELSE 'notified' END AS stage,
        CASE WHEN i %% 10 = 0 AND i < %(rows)s / 10 THEN NULL
             ELSE now() - (i::float / %(rows)s) * interval '1095 days'
                  + ((i %% 13) * interval '1 day') END AS closed_at,
        ((i %% 90) * interval '1 minute') AS notice
    FROM generate_series(1, %(rows)s) AS i
) r
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM staff_directory_department) d
    ON d.n = r.i %% %(departments)s
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM complaints_complainttype) t
    ON t.n = r.i %% %(types)s
"""

# Stage history: file → assign → investigate → verify → close, each with its due time;
# open filings stop at their current stage.
EVENTS_SQL = """
INSERT INTO complaints_stageevent (complaint_id, action, from_stage, to_stage, by_id, at,
                                   note, due_at)
SELECT c.id,
       (ARRAY['file','assign','advance','advance','close'])[k],
       (ARRAY['','received','assigned','investigating','verifying'])[k],
       (ARRAY['received','assigned','investigating','verifying','notified'])[k],
       NULL,
       c.received_at + (k - 1) * (COALESCE(c.closed_at, c.received_at + interval '4 days')
                                   - c.received_at) / 5,
       '',
       CASE WHEN k = 5 THEN NULL
            ELSE c.received_at + (k - 1) * (COALESCE(c.closed_at,
                 c.received_at + interval '4 days') - c.received_at) / 5
                 + (ARRAY[interval '1 day', interval '1 day', interval '2 days',
                          interval '2 days'])[k] END
FROM complaints_complaint c
CROSS JOIN generate_series(1, 5) AS k
WHERE k <= CASE c.stage WHEN 'received' THEN 1 WHEN 'assigned' THEN 2
                        WHEN 'investigating' THEN 3 WHEN 'verifying' THEN 4
                        WHEN 'correcting' THEN 4 ELSE 5 END
"""


COMPLAINTS = "complaints_complaint"
EVENTS = "complaints_stageevent"


def drop_secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    """Drop the indexes that back no constraint; return their names and definitions."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [tables],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def seed() -> object:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from complaints.models import ComplaintType, ReceiptCounter
    from staff_directory.models import Department, StaffMember
    from staff_directory.roles import MANAGER, ensure_roles

    groups = ensure_roles()
    departments = [
        Department.objects.create(name=f"벤치{n}과", slug=f"bench-{n}", order=n)
        for n in range(DEPARTMENTS)
    ]
    for n, department in enumerate(departments):
        StaffMember.objects.create(
            department=department, name=f"담당{n}", title="주무관", duties="벤치"
        )
    for n in range(TYPES):
        ComplaintType.objects.create(
            code=f"bench-{n}",
            name=f"벤치 민원 {n}",
            period_days=7,
            handling_department=departments[n % DEPARTMENTS],
        )
    manager = get_user_model().objects.create_user(BENCH_USER, is_staff=True)
    manager.groups.add(groups[MANAGER])
    params = {"rows": ROWS, "departments": DEPARTMENTS, "types": TYPES}
    with connection.cursor() as cursor:
        # Bulk load: no foreign-key triggers and no secondary indexes while rows go in;
        # the indexes are built once afterwards, which is far faster than row by row.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("SET synchronous_commit = off")
        indexes = drop_secondary_indexes(cursor, [COMPLAINTS, EVENTS])
        say(f"seeding {ROWS:,} complaints …")
        timed("complaints", cursor, COMPLAINTS_SQL, params)
        say("seeding their stage history …")
        timed("stage events", cursor, EVENTS_SQL)
        say(f"rebuilding {len(indexes)} indexes …")
        for _name, definition in indexes:
            timed(_name, cursor, definition)
        cursor.execute("SET session_replication_role = DEFAULT")
        timed("analyze", cursor, "ANALYZE")
    ReceiptCounter.objects.all().delete()
    return manager


# --- Measuring ------------------------------------------------------------------------------
def bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def install_urls() -> str:
    from django.urls import include, path

    module = types.ModuleType("bench_dashboard_urls")
    module.urlpatterns = [
        path("bench-bare/", bare),
        path("", include("yeoncheon_portal.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def measure(client, url: str, n: int, cold: bool) -> tuple[list[float], list[float], int]:
    """Milliseconds of n requests (wall clock, and this process's CPU) and the queries of
    the last one; `cold` empties the cache before each request. The CPU milliseconds
    leave out the database's work and the waits of a busy machine."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu = [], []
    queries = 0
    for _ in range(n):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries = len(captured.captured_queries)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times, cpu, queries


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def periods() -> list[tuple[str, str]]:
    from django.utils import timezone

    year = timezone.localdate().year - 1
    return [
        ("this week", "/dashboard/?period=week"),
        ("this month", "/dashboard/"),
        ("this quarter", "/dashboard/?period=quarter"),
        ("this year", "/dashboard/?period=year"),
        ("last year", f"/dashboard/?period=custom&start={year}-01-01&end={year}-12-31"),
    ]


def run(client) -> None:
    from django.test import override_settings

    # A cache of this process's own, so that emptying it touches nothing else.
    private_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bench-dashboard",
        }
    }
    with override_settings(CACHES=private_cache):
        measure(client, "/bench-bare/", 3, cold=False)  # the process warmed up
        bare, bare_cpu, _queries = measure(client, "/bench-bare/", REQUESTS, cold=False)
        base, base_cpu = statistics.median(bare), statistics.median(bare_cpu)
        say(
            f"{'page':<24} {'queries':>7} {'median ms':>10} {'p90 ms':>9} {'ratio':>7} "
            f"{'CPU ms':>8} {'CPU ratio':>9}"
        )
        say(
            f"{'bare view':<24} {0:>7} {base:>10.1f} {p90(bare):>9.1f} {1:>7.3f} "
            f"{base_cpu:>8.1f} {1:>9.3f}"
        )
        for name, url in periods():
            for cold in (True, False):
                n = COLD_REQUESTS if cold else REQUESTS
                times, cpu, queries = measure(client, url, n, cold)
                median, median_cpu = statistics.median(times), statistics.median(cpu)
                label = f"{name}, {'drawn' if cold else 'warm'}"
                say(
                    f"{label:<24} {queries:>7} {median:>10.1f} {p90(times):>9.1f} "
                    f"{base / median:>7.3f} {median_cpu:>8.1f} {base_cpu / median_cpu:>9.3f}"
                )
        if os.environ.get("BENCH_VERBOSE"):
            from django.core.cache import cache
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                client.get("/dashboard/?period=year")
            say(f"queries of one drawn 'this year' page: {len(captured.captured_queries)}")
            for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"])):
                say(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:100]}")


def main() -> int:
    try:
        if not REUSE:
            pg.recreate(DB_NAME)
        pg.connect(DB_NAME).close()
    except Exception as exc:  # no server, no rights: the benchmark cannot run here
        say(
            f"skipped: PostgreSQL not reachable at {pg.ADMIN_URL} ({exc.__class__.__name__}: {exc})"
        )
        return 0
    os.environ["DATABASE_URL"] = pg.database_url(DB_NAME)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yeoncheon_portal.settings")
    os.environ.setdefault("RATELIMIT_ENABLE", "false")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client, override_settings

        if REUSE:
            from django.contrib.auth import get_user_model

            manager = get_user_model().objects.get(username=BENCH_USER)
            say(f"measuring {DB_NAME} as seeded before")
        else:
            started = time.perf_counter()
            say(f"migrating {DB_NAME} …")
            call_command("migrate", verbosity=0)
            manager = seed()
            say(f"seeded in {time.perf_counter() - started:.0f}s")
        with override_settings(ROOT_URLCONF=install_urls(), ALLOWED_HOSTS=["*"]):
            client = Client()
            client.force_login(manager)
            run(client)
        connections.close_all()
    finally:
        if not os.environ.get("BENCH_KEEP") and not REUSE:
            pg.drop(DB_NAME)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
