"""Bulk rows for the web benchmark, generated inside PostgreSQL (INSERT … SELECT).

`grow(cursor, start, end)` adds the filings numbered start … end-1 with their stage
history, and with them phone memos, board posts and payouts in proportion. Every row
refers to real departments, staff, types and rules (those of `seed_demo`); receipt
numbers continue each year's sequence after whatever exists, and the year counters are
moved past them, so the portal's own filings never collide with seeded ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# Filings are spread over three years; the last 30 days are still open.
SPAN_DAYS = 1095
OPEN_DAYS = 30

COMPLAINTS_SQL = """
INSERT INTO complaints_complaint (
    receipt_year, receipt_seq, receipt_number, kind, complaint_type_id, channel,
    arrived_at, received_at, complainant_name, phone, email, address, lives_in_county,
    filer_type, priority_reasons, is_priority, visit_count, title, content, location_text,
    sms_consent, citizen_confirmed, department_id, owner_id, stage, stage_entered_at,
    stage_due_at, due_at, held_at, hold_reason, held_from_stage, extension_count,
    extension_consent, extension_reason, is_overdue, result_text, closed_at, refusal_reason,
    owner_notified_at, notice_delay_minutes, language, hold_round, hold_requested_late
)
WITH bases AS (
    SELECT y, max(last) AS last FROM (
        SELECT receipt_year AS y, max(receipt_seq) AS last
        FROM complaints_complaint GROUP BY receipt_year
        UNION ALL
        SELECT year, last FROM complaints_receiptcounter
    ) b GROUP BY y
),
types AS (
    SELECT id, kind, period_days, handling_department_id AS dept,
           row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS c
    FROM complaints_complainttype
    WHERE handling_department_id IS NOT NULL AND is_active
),
staff AS (
    SELECT id, department_id,
           row_number() OVER (PARTITION BY department_id ORDER BY id) - 1 AS n,
           count(*) OVER (PARTITION BY department_id) AS c
    FROM staff_directory_staffmember WHERE is_active
),
src AS (
    SELECT i, age,
           now() - age * interval '1 day' AS received_at,
           CASE WHEN age < %(open_days)s
                THEN (ARRAY['received','assigned','investigating','verifying','correcting',
                            'on_hold'])[1 + i %% 6]
                WHEN i %% 97 = 0 THEN 'refused'
                ELSE 'notified' END AS stage,
           (ARRAY['web','web','web','visit','phone','letter','fax','board','open311'])
               [1 + i %% 9] AS channel
    FROM (
        SELECT i, ((i::bigint * 7919) %% (%(span)s * 1000)) / 1000.0 AS age
        FROM generate_series(%(start)s, %(end)s - 1) AS i
    ) g
),
numbered AS (
    SELECT src.*,
           extract(year FROM received_at AT TIME ZONE 'Asia/Seoul')::int AS y,
           row_number() OVER (
               PARTITION BY extract(year FROM received_at AT TIME ZONE 'Asia/Seoul')
               ORDER BY i
           ) AS rn
    FROM src
)
SELECT
    r.y, coalesce(b.last, 0) + r.rn,
    r.y || '-' || lpad((coalesce(b.last, 0) + r.rn)::text, 6, '0'),
    t.kind, t.id, r.channel,
    r.received_at, r.received_at, '홍길동', '+8210' || lpad((i %% 100000000)::text, 8, '0'),
    '', '경기도 연천군 연천읍 연천로 220', true,
    'individual',
    CASE WHEN i %% 50 = 0 THEN '["elderly"]'::jsonb ELSE '[]'::jsonb END, i %% 50 = 0, 1,
    '도로 파손 신고 ' || i, '연천읍 차탄리 앞 도로가 파손되어 보수를 요청합니다.', '',
    i %% 2 = 0, false, t.dept,
    CASE WHEN r.stage = 'received' THEN NULL ELSE s.id END,
    r.stage,
    CASE WHEN r.stage IN ('notified', 'refused')
         THEN r.received_at + (1 + i %% 9) * interval '1 day'
         ELSE r.received_at + interval '2 hours' END,
    CASE WHEN r.stage IN ('notified', 'refused', 'on_hold') THEN NULL
         ELSE r.received_at + (2 + i %% 5) * interval '1 day' END,
    r.received_at + t.period_days * interval '1 day',
    CASE WHEN r.stage = 'on_hold' THEN r.received_at + interval '1 day' END,
    CASE WHEN r.stage = 'on_hold' THEN '도면 보완' ELSE '' END,
    CASE WHEN r.stage = 'on_hold' THEN 'investigating' ELSE '' END,
    0, false, '', false,
    CASE WHEN r.stage = 'notified' THEN '보수를 마쳤습니다.' ELSE '' END,
    CASE WHEN r.stage IN ('notified', 'refused')
         THEN r.received_at + (1 + i %% 9) * interval '1 day' END,
    CASE WHEN r.stage = 'refused' THEN '같은 내용의 민원이 이미 처리되었습니다.' ELSE '' END,
    CASE WHEN r.channel IN ('letter', 'fax') AND r.stage <> 'received'
         THEN r.received_at + (i %% 90) * interval '1 minute' END,
    CASE WHEN r.channel IN ('letter', 'fax') AND r.stage <> 'received' THEN i %% 90 END,
    'ko', CASE WHEN r.stage = 'on_hold' THEN 1 ELSE 0 END, false
FROM numbered r
JOIN types t ON t.n = r.i %% t.c
LEFT JOIN bases b ON b.y = r.y
LEFT JOIN staff s ON s.department_id = t.dept AND s.n = r.i %% s.c
"""

# The stage history of the new filings: file → assign → advance… → close (or refuse).
EVENTS_SQL = """
INSERT INTO complaints_stageevent (complaint_id, action, from_stage, to_stage, by_id, at,
                                   note, due_at)
SELECT c.id, e.action, e.from_stage, e.to_stage, NULL,
       c.received_at + (e.k - 1) * interval '3 hours', '',
       CASE WHEN e.to_stage IN ('notified', 'refused') THEN NULL
            ELSE c.received_at + e.k * interval '1 day' END
FROM complaints_complaint c
JOIN LATERAL (
    SELECT k, action, from_stage, to_stage
    FROM (VALUES
        (1, 'file', '', 'received'),
        (2, 'assign', 'received', 'assigned'),
        (3, 'advance', 'assigned', 'investigating'),
        (4, 'advance', 'investigating', 'verifying'),
        (5, 'close', 'verifying', 'notified')
    ) AS steps(k, action, from_stage, to_stage)
    WHERE k <= CASE c.stage WHEN 'received' THEN 1 WHEN 'assigned' THEN 2
                            WHEN 'investigating' THEN 3 WHEN 'on_hold' THEN 3
                            WHEN 'verifying' THEN 4 WHEN 'correcting' THEN 4
                            WHEN 'refused' THEN 1 ELSE 5 END
    UNION ALL
    SELECT 2, 'refuse', 'received', 'refused' WHERE c.stage = 'refused'
) e ON true
WHERE c.id > %(after_id)s
"""

COUNTERS_SQL = """
INSERT INTO complaints_receiptcounter (year, last)
SELECT receipt_year, max(receipt_seq) FROM complaints_complaint GROUP BY receipt_year
ON CONFLICT (year) DO UPDATE SET last = greatest(complaints_receiptcounter.last, EXCLUDED.last)
"""

# One phone memo for every ten filings, spread over the active staff.
MEMOS_SQL = """
WITH staff AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS c
    FROM staff_directory_staffmember WHERE is_active
)
INSERT INTO reception_memo (
    callback_state, callback_due_at, callback_note, closed_at, closed_by_id, created_at,
    kind, owner_id, caller_name, purpose, contacted_at, callback_needed, phone,
    number_read_back, taken_by_id, taker_name
)
SELECT CASE WHEN g.age < 2 THEN 'pending' ELSE 'done' END,
       now() - (g.age - 1) * interval '1 day', '',
       CASE WHEN g.age < 2 THEN NULL ELSE now() - (g.age - 0.5) * interval '1 day' END,
       NULL, now() - g.age * interval '1 day',
       'phone', s.id, '김민원', '도로 보수 일정 문의', now() - g.age * interval '1 day', true,
       '010-2345-' || lpad((g.i %% 10000)::text, 4, '0'), true, NULL, '강민서'
FROM (
    SELECT i, ((i::bigint * 7919) %% (%(span)s * 1000)) / 1000.0 AS age
    FROM generate_series(%(start)s, %(end)s - 1) AS i
) g
JOIN staff s ON s.n = g.i %% s.c
"""

# One board post for every twenty filings; most answered, the last two days not yet.
BOARD_SQL = """
WITH depts AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS c
    FROM staff_directory_department
)
INSERT INTO reception_boardpost (
    title, body, attachment, attachment_name, author_name, phone, email, is_public,
    password_hash, requested_department_id, department_id, created_at, routed_at, sweep_id, answer,
    answered_at, answered_by_id
)
SELECT '버스 시간표 문의 ' || g.i, '연천역에서 출발하는 버스 시간표를 알고 싶습니다.', '', '',
       '이시민', '', '', g.i %% 5 <> 0, '', NULL, d.id,
       now() - g.age * interval '1 day', now() - (g.age - 0.2) * interval '1 day', NULL,
       CASE WHEN g.age < 2 THEN '' ELSE '홈페이지 교통 정보에서 확인하실 수 있습니다.' END,
       CASE WHEN g.age < 2 THEN NULL ELSE now() - (g.age - 1) * interval '1 day' END, NULL
FROM (
    SELECT i, ((i::bigint * 7919) %% (%(span)s * 1000)) / 1000.0 AS age
    FROM generate_series(%(start)s, %(end)s - 1) AS i
) g
JOIN depts d ON d.n = g.i %% d.c
"""

# One payout for every hundred closed filings, under rule R1.
PAYOUTS_SQL = """
INSERT INTO compensation_payout (
    complaint_id, rule_id, rule_version, department_id, amount, kind, recipient_name,
    recipient_phone, bank_name, bank_account, bank_holder, state, automatic, breaches,
    duties, note, proposed_at, proposed_by_id, approved_at, approved_by_id, pay_by, paid_at,
    paid_by_id, payment_reference, rejected_at, rejected_by_id, rejection_reason
)
SELECT c.id, r.id, r.version, c.department_id, 10000, 'voucher', c.complainant_name,
       c.phone, '', '', '', 'paid', false, '', '', '방문 중 불편', c.closed_at, NULL,
       c.closed_at, NULL, NULL, c.closed_at + interval '3 days', NULL, 'bench', NULL, NULL, ''
FROM complaints_complaint c
CROSS JOIN (SELECT id, version FROM compensation_compensationrule WHERE code = 'R1') r
WHERE c.id > %(after_id)s AND c.id %% 100 = 0 AND c.stage = 'notified'
"""

BULK_TABLES = [
    "complaints_complaint",
    "complaints_stageevent",
    "reception_memo",
    "reception_boardpost",
    "compensation_payout",
]


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """Indexes that back no constraint: dropped while rows go in, built once after."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [BULK_TABLES],
    )
    return cursor.fetchall()


def grow(cursor, start: int, end: int, say: Callable[[str], None]) -> None:
    """Add the filings numbered start … end-1 and their history, memos, posts, payouts."""
    params = {"start": start, "end": end, "span": SPAN_DAYS, "open_days": OPEN_DAYS}
    rebuild = end - start > 100_000
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SET maintenance_work_mem = '256MB'")
    cursor.execute("SELECT coalesce(max(id), 0) FROM complaints_complaint")
    after_id = cursor.fetchone()[0]
    indexes = _secondary_indexes(cursor) if rebuild else []
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    steps = [
        ("complaints", COMPLAINTS_SQL, params),
        ("stage events", EVENTS_SQL, {"after_id": after_id}),
        ("receipt counters", COUNTERS_SQL, {}),
        ("phone memos", MEMOS_SQL, {**params, "start": start // 10, "end": end // 10}),
        ("board posts", BOARD_SQL, {**params, "start": start // 20, "end": end // 20}),
        ("payouts", PAYOUTS_SQL, {"after_id": after_id}),
    ]
    for label, sql, values in steps:
        started = time.perf_counter()
        cursor.execute(sql, values)
        say(f"  {label}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f}s")
    if indexes:
        started = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        say(f"  {len(indexes)} indexes rebuilt in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    # VACUUM cannot run inside a transaction (a test's); ANALYZE alone can.
    statement = "VACUUM ANALYZE" if cursor.connection.autocommit else "ANALYZE"
    cursor.execute(statement)
    say(f"  {statement.lower()} in {time.perf_counter() - started:.1f}s")
