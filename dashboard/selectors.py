"""Every figure of the dashboard, as database aggregates (O2 C2 M1 M2 P3 V5 O4 S1 K2 R6).

The page is a handful of queries whatever the number of rows:

1. `departments_with_overdue` — the filter's departments and the overdue count of each;
2. `summary` — one row: the complaint headline, M1, M2, P3, V5, O4, S1, K2 and the
   payouts, each a one-row aggregate over its own table, cross-joined into one SELECT;
3. `weekly` — filings per receipt week and channel, with closed and on-time counts;
4. `stage_stats` — each C2 stage from `StageEvent`: entered, left, on time, median share
   of the stage budget used;
5. `overdue_items` and 6. `m1_breach_items` — the work lists.

No Python loop runs over data rows; Python only divides the sums the database returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lead, NullIf, TruncWeek

from compensation.models import Payout, PayoutState, RuleCode
from complaints import deadlines
from complaints.models import Action, Complaint, Stage, StageEvent
from complaints.models.complaint import OPEN_STAGES, PAPER_CHANNELS, RUNNING_STAGES
from complaints.querysets import M1_LIMIT_MINUTES
from dashboard.expressions import EpochSeconds, ScalarAvg, ScalarCount, ScalarSum
from dashboard.periods import SEOUL, Period, seoul_today, working_days
from notifications.models import SmsMessage, Status
from reception.models import (
    BoardPost,
    BoardSweep,
    CallbackState,
    Commendation,
    CommendationStatus,
    Consultation,
    Memo,
)
from staff_directory.models import Department
from surveys.models import Answer, FollowUpAction, FollowUpState, QuestionKind

PAGE_SIZE = 20
# The C2 stages in the order a filing passes them, and the budget each one runs on.
C2_STAGES = tuple(RUNNING_STAGES)
STAGE_BUDGET_HOURS = {
    Stage.RECEIVED: deadlines.STAGE_BUDGET_DAYS["assigned"] * deadlines.HOURS_PER_DAY,
    Stage.ASSIGNED: deadlines.STAGE_BUDGET_DAYS["assigned"] * deadlines.HOURS_PER_DAY,
    Stage.INVESTIGATING: deadlines.STAGE_BUDGET_DAYS["investigating"] * deadlines.HOURS_PER_DAY,
    Stage.VERIFYING: deadlines.STAGE_BUDGET_DAYS["verifying"] * deadlines.HOURS_PER_DAY,
    Stage.CORRECTING: deadlines.STAGE_BUDGET_DAYS["correcting"] * deadlines.HOURS_PER_DAY,
}
RUNNING_STAGES = sorted(OPEN_STAGES - {Stage.ON_HOLD})
# A board sweep counts as on time when it ran within 30 minutes of a scheduled slot.
SWEEP_HOURS = (9, 14)
SWEEP_GRACE_MINUTES = 30
PAYOUT_STATES = (PayoutState.PROPOSED, PayoutState.APPROVED, PayoutState.PAID, PayoutState.REJECTED)


@dataclass(frozen=True)
class Scope:
    """What the figures are about: a period, a department (None: the whole county), now."""

    period: Period
    department_id: int | None
    now: datetime

    @property
    def start(self) -> datetime:
        return self.period.start

    @property
    def end(self) -> datetime:
        return self.period.end


def _in(field: str, scope: Scope) -> Q:
    return Q(**{f"{field}__gte": scope.start, f"{field}__lt": scope.end})


def _count(condition: Q | None = None) -> ScalarCount:
    if condition is None:
        return ScalarCount(F("pk"))
    return ScalarCount(Case(When(condition, then=Value(1))))


def _sum(field: str, condition: Q) -> ScalarSum:
    return ScalarSum(Case(When(condition, then=F(field))))


def _ratio(used_from: str, used_to: str, allowed_to: str):
    """(used_to − used_from) / (allowed_to − used_from), in wall-clock seconds."""
    start = EpochSeconds(F(used_from))
    return (EpochSeconds(F(used_to)) - start) / NullIf(EpochSeconds(F(allowed_to)) - start, 0.0)


# --- 1. Departments ---------------------------------------------------------------------
def departments_with_overdue(now: datetime, department_id: int | None = None) -> list[dict]:
    """Departments (all, or one) with the number of filings whose stage is overdue now:
    a counted subquery per department on the queue index (department, stage, …)."""
    departments = Department.objects.all()
    if department_id is not None:
        departments = departments.filter(pk=department_id)
    overdue = (
        Complaint.objects.filter(
            department_id=OuterRef("pk"), stage__in=RUNNING_STAGES, stage_due_at__lt=now
        )
        .order_by()
        .annotate(n=ScalarCount(F("pk")))
        .values("n")
    )
    return list(
        departments.annotate(overdue=Coalesce(Subquery(overdue), 0))
        .order_by("order", "name")
        .values("id", "name", "name_en", "overdue")
    )


# --- 2. The one-row summary -------------------------------------------------------------
def _complaint_row(scope: Scope):
    received = _in("received_at", scope)
    closed = _in("closed_at", scope)
    paper = Q(channel__in=sorted(PAPER_CHANNELS)) & received
    m1_late = Q(notice_delay_minutes__gt=M1_LIMIT_MINUTES) | Q(
        owner_notified_at__isnull=True,
        received_at__lt=scope.now - timedelta(minutes=M1_LIMIT_MINUTES),
    )
    open_now = Q(stage__in=sorted(OPEN_STAGES))
    running_overdue = Q(stage__in=RUNNING_STAGES, stage_due_at__lt=scope.now)
    qs = Complaint.objects.filter(received | closed | open_now)
    if scope.department_id is not None:
        qs = qs.filter(department_id=scope.department_id)
    used = _ratio("received_at", "closed_at", "due_at")
    return (
        qs.order_by()
        .annotate(
            c_received=_count(received),
            c_closed=_count(closed),
            c_closed_on_time=_count(closed & Q(closed_at__lte=F("due_at"))),
            c_open=_count(open_now),
            c_overdue=_count(running_overdue),
            c_past_legal=_count(open_now & Q(due_at__lt=scope.now)),
            c_used_ratio=ScalarAvg(Case(When(closed, then=used), output_field=FloatField())),
            c_used_days=ScalarAvg(
                Case(
                    When(closed, then=used * F("complaint_type__period_days")),
                    output_field=FloatField(),
                )
            ),
            c_period_days=ScalarAvg(
                Case(When(closed, then=F("complaint_type__period_days")), output_field=FloatField())
            ),
            m1_paper=_count(paper),
            m1_on_time=_count(paper & Q(notice_delay_minutes__lte=M1_LIMIT_MINUTES)),
            m1_breaches=_count(paper & m1_late),
        )
        .values(
            "c_received",
            "c_closed",
            "c_closed_on_time",
            "c_open",
            "c_overdue",
            "c_past_legal",
            "c_used_ratio",
            "c_used_days",
            "c_period_days",
            "m1_paper",
            "m1_on_time",
            "m1_breaches",
        )
    )


def _callback_row(model, prefix: str, department_q: Q | None, scope: Scope, extra: Q):
    """P3 (memos) and V5 (consultations): call backs owed, done, done within the day."""
    qs = model.objects.filter(extra)
    if department_q is not None:
        qs = qs.filter(department_q)
    taken = _in("created_at", scope)
    done = Q(callback_state=CallbackState.DONE)
    return (
        qs.order_by()
        .annotate(
            **{
                f"{prefix}_taken": _count(taken),
                f"{prefix}_done": _count(taken & done),
                f"{prefix}_on_time": _count(taken & done & Q(closed_at__lte=F("callback_due_at"))),
                f"{prefix}_overdue": _count(
                    Q(callback_state=CallbackState.PENDING, callback_due_at__lt=scope.now)
                ),
            }
        )
        .values(f"{prefix}_taken", f"{prefix}_done", f"{prefix}_on_time", f"{prefix}_overdue")
    )


def _board_rows(scope: Scope):
    posts = BoardPost.objects.all()
    if scope.department_id is not None:
        posts = posts.filter(department_id=scope.department_id)
    written = _in("created_at", scope)
    post_row = (
        posts.order_by()
        .annotate(
            m2_posts=_count(written),
            m2_routed=_count(written & Q(routed_at__isnull=False)),
            m2_answered=_count(written & Q(answered_at__isnull=False)),
            m2_unanswered=_count(Q(routed_at__isnull=False, answered_at__isnull=True)),
        )
        .values("m2_posts", "m2_routed", "m2_answered", "m2_unanswered")
    )
    on_slot = Q(ran_at__hour__in=SWEEP_HOURS, ran_at__minute__lt=SWEEP_GRACE_MINUTES)
    sweep_row = (
        BoardSweep.objects.filter(_in("ran_at", scope))
        .order_by()
        .annotate(m2_sweeps=_count(), m2_sweeps_on_time=_count(on_slot))
        .values("m2_sweeps", "m2_sweeps_on_time")
    )
    return post_row, sweep_row


def _sms_row(scope: Scope):
    failed = [Status.FAILED, Status.UNDELIVERED]
    return (
        SmsMessage.objects.filter(_in("created_at", scope))
        .order_by()
        .annotate(
            o4_total=_count(),
            o4_sent=_count(Q(status=Status.SENT)),
            o4_delivered=_count(Q(status=Status.DELIVERED)),
            o4_failed=_count(Q(status__in=failed)),
            o4_waiting=_count(Q(status__in=[Status.QUEUED, Status.SENDING])),
        )
        .values("o4_total", "o4_sent", "o4_delivered", "o4_failed", "o4_waiting")
    )


def _survey_rows(scope: Scope):
    answers = Answer.objects.filter(
        _in("response__submitted_at", scope),
        question__kind=QuestionKind.SCALE,
        score__isnull=False,
    )
    follow_ups = FollowUpAction.objects.all()
    if scope.department_id is not None:
        answers = answers.filter(response__department_id=scope.department_id)
        follow_ups = follow_ups.filter(department_id=scope.department_id)
    answer_row = (
        answers.order_by()
        .annotate(
            s1_average=ScalarAvg(F("score")),
            s1_answers=_count(),
            s1_responses=ScalarCount(
                F("response_id"), template="%(function)s(DISTINCT %(expressions)s)"
            ),
        )
        .values("s1_average", "s1_answers", "s1_responses")
    )
    open_state = Q(state=FollowUpState.OPEN)
    follow_row = (
        follow_ups.order_by()
        .annotate(
            s1_open=_count(open_state),
            s1_open_late=_count(open_state & Q(due_on__lt=seoul_today(scope.now))),
            s1_done=_count(Q(state=FollowUpState.DONE) & _in("done_at", scope)),
        )
        .values("s1_open", "s1_open_late", "s1_done")
    )
    return answer_row, follow_row


def _commendation_row(scope: Scope):
    qs = Commendation.objects.all()
    if scope.department_id is not None:
        qs = qs.filter(staff__department_id=scope.department_id)
    return (
        qs.order_by()
        .annotate(
            k2_received=_count(_in("created_at", scope)),
            k2_approved=_count(Q(status=CommendationStatus.APPROVED) & _in("reviewed_at", scope)),
            k2_pending=_count(Q(status=CommendationStatus.PENDING)),
        )
        .values("k2_received", "k2_approved", "k2_pending")
    )


def payout_columns() -> list[tuple[str, str, str]]:
    """(column prefix, rule code, state) of every payout cell."""
    return [
        (f"r_{code.lower()}_{state}", code, state)
        for code in RuleCode.values
        for state in PAYOUT_STATES
    ]


def _payout_row(scope: Scope):
    qs = Payout.objects.filter(_in("proposed_at", scope))
    if scope.department_id is not None:
        qs = qs.filter(department_id=scope.department_id)
    annotations = {}
    for prefix, code, state in payout_columns():
        cell = Q(rule__code=code, state=state)
        annotations[f"{prefix}_n"] = _count(cell)
        annotations[f"{prefix}_krw"] = _sum("amount", cell)
    return qs.order_by().annotate(**annotations).values(*annotations)


def summary(scope: Scope) -> dict:
    """Every single-number figure of the page, in one query."""
    parts = [
        ("c", _complaint_row(scope)),
        (
            "memo",
            _callback_row(
                Memo, "p3", _dept_q(scope, "owner__department_id"), scope, Q(callback_needed=True)
            ),
        ),
        ("consult", _callback_row(Consultation, "v5", _dept_q(scope, "department_id"), scope, Q())),
        *zip(("post", "sweep"), _board_rows(scope), strict=True),
        *zip(("answer", "follow"), _survey_rows(scope), strict=True),
        ("praise", _commendation_row(scope)),
        ("payout", _payout_row(scope)),
    ]
    if scope.department_id is None:
        # SMS rows carry no department: shown for the whole county only.
        parts.append(("sms", _sms_row(scope)))
    return one_row(parts)


def _dept_q(scope: Scope, field: str) -> Q | None:
    if scope.department_id is None:
        return None
    return Q(**{field: scope.department_id})


def one_row(parts) -> dict:
    """Cross-join one-row aggregates into a single SELECT and return its columns."""
    sqls, params = [], []
    for alias, queryset in parts:
        sql, sql_params = queryset.query.sql_with_params()
        sqls.append(f"({sql}) {connection.ops.quote_name(alias)}")
        params.extend(sql_params)
    with connection.cursor() as cursor:
        # Every part is SQL compiled by the ORM with its parameters kept apart; only
        # the quoted aliases are joined here.
        cursor.execute("SELECT * FROM " + ", ".join(sqls), params)  # noqa: S608
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    # A raw cursor skips the ORM's converters: PostgreSQL's AVG and SUM are numeric.
    return {
        name: float(value) if isinstance(value, Decimal) else value
        for name, value in zip(names, row, strict=True)
    }


# --- 3. Weekly filings, closed and on time ------------------------------------------------
def weekly(scope: Scope) -> list[dict]:
    """Per receipt week (Monday, Seoul) and channel: filings, closed, closed on time."""
    qs = Complaint.objects.filter(_in("received_at", scope))
    if scope.department_id is not None:
        qs = qs.filter(department_id=scope.department_id)
    return list(
        qs.annotate(week=TruncWeek("received_at", tzinfo=SEOUL))
        .values("week", "channel")
        .annotate(
            filed=Count("pk"),
            closed=Count("pk", filter=Q(closed_at__isnull=False)),
            on_time=Count("pk", filter=Q(closed_at__lte=F("due_at"))),
        )
        .order_by("week", "channel")
    )


# --- 4. C2 stages from the stage history -------------------------------------------------
def stage_changes(scope: Scope):
    """The stage-changing events from the start of the period on, each with the time of
    the filing's next stage change (`left_at`): one window pass, no per-row lookups.

    A change is an event whose stage differs from the one before, or a transfer (which
    starts the received stage again). A stage entered at one change is left at the next
    change of the same filing, so `left_at` is when the stage entered here ended (NULL:
    still in it). Entries before the period are not needed, so the window reads only
    events from its start."""
    qs = StageEvent.objects.filter(at__gte=scope.start).filter(
        ~Q(from_stage=F("to_stage")) | Q(action=Action.TRANSFER)
    )
    if scope.department_id is not None:
        qs = qs.filter(complaint__department_id=scope.department_id)
    return (
        qs.annotate(
            left_at=Window(
                Lead("at"),
                partition_by=[F("complaint_id")],
                order_by=[F("at").asc(), F("id").asc()],
            )
        )
        .order_by()
        .values("to_stage", "at", "due_at", "left_at")
    )


def _epoch_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::double precision"
    return f"(julianday({column}) * 86400.0)"


def _median_sql(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {expression})"
    return f"dashboard_median({expression})"


def _stage_rows(scope: Scope) -> list[dict]:
    """Group the entries into C2 stages of the period; the window's result is a derived
    table, which the ORM cannot aggregate, so the outer GROUP BY is written here."""
    inner, params = stage_changes(scope).query.sql_with_params()
    at, left, due = "s.at", "s.left_at", "s.due_at"
    used = (
        f"CASE WHEN {left} IS NOT NULL THEN ({_epoch_sql(left)} - {_epoch_sql(at)}) / "
        f"NULLIF({_epoch_sql(due)} - {_epoch_sql(at)}, 0) END"
    )
    stages = ", ".join(["%s"] * len(C2_STAGES))
    # Only column names and ORM-compiled SQL are interpolated; values are parameters.
    sql = (
        f"SELECT s.to_stage, COUNT(*), COUNT({left}), "  # noqa: S608
        f"COUNT(CASE WHEN {left} <= {due} THEN 1 END), "
        f"COUNT(CASE WHEN {left} IS NULL AND {due} < %s THEN 1 END), "
        f"{_median_sql(used)} "
        f"FROM ({inner}) s "
        f"WHERE {at} < %s AND s.to_stage IN ({stages}) AND {due} IS NOT NULL "
        f"GROUP BY s.to_stage"
    )
    adapt = connection.ops.adapt_datetimefield_value
    # Placeholders in order: now (select list), the inner query's, end, the stages.
    all_params = [adapt(scope.now), *params, adapt(scope.end), *[str(s) for s in C2_STAGES]]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return [
            {
                "to_stage": row[0],
                "entered": row[1],
                "left": row[2],
                "on_time": row[3],
                "open_late": row[4],
                "median_used": None if row[5] is None else float(row[5]),
            }
            for row in cursor.fetchall()
        ]


def stage_stats(scope: Scope) -> list[dict]:
    """Per C2 stage: entered, left, left on time, open past due, median budget used."""
    rows = _stage_rows(scope)
    by_stage = {row["to_stage"]: row for row in rows}
    result = []
    for stage in C2_STAGES:
        row = by_stage.get(stage, {})
        left_count = row.get("left") or 0
        median = row.get("median_used")
        hours = STAGE_BUDGET_HOURS[stage]
        result.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "entered": row.get("entered") or 0,
                "left": left_count,
                "on_time": row.get("on_time") or 0,
                "open_late": row.get("open_late") or 0,
                "on_time_rate": rate(row.get("on_time") or 0, left_count),
                "median_used": median,
                "median_hours": None if median is None else round(median * hours, 1),
                "budget_hours": hours,
            }
        )
    return result


# --- 5, 6. The work lists ----------------------------------------------------------------
def overdue_items(scope: Scope, page: int = 1) -> list[Complaint]:
    """Filings whose stage is overdue now, the longest overdue first."""
    qs = Complaint.objects.overdue(scope.now)
    if scope.department_id is not None:
        qs = qs.filter(department_id=scope.department_id)
    offset = (page - 1) * PAGE_SIZE
    return list(
        qs.select_related("department", "owner", "complaint_type").order_by("stage_due_at", "id")[
            offset : offset + PAGE_SIZE
        ]
    )


def m1_breach_items(scope: Scope, limit: int = PAGE_SIZE) -> list[Complaint]:
    """Letter and FAX filings of the period whose owner heard of them too late (M1)."""
    qs = Complaint.objects.m1_breaches(scope.now).filter(_in("received_at", scope))
    if scope.department_id is not None:
        qs = qs.filter(department_id=scope.department_id)
    return list(qs.select_related("department", "owner").order_by("-received_at", "id")[:limit])


# --- Arithmetic on the aggregates ---------------------------------------------------------
def rate(part: int | None, whole: int | None) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


def expected_sweeps(scope: Scope) -> int:
    """Scheduled board sweeps in the period up to today: two a working day (M2)."""
    today = seoul_today(scope.now)
    last = min(scope.period.last, today)
    return len(SWEEP_HOURS) * working_days(scope.period.first, last)


def figures_cache_key(scope: Scope) -> str:
    database = connection.settings_dict.get("NAME")
    return (
        f"dashboard:figures:v1:{database}:{scope.period.first:%Y%m%d}:"
        f"{scope.period.last:%Y%m%d}:{scope.department_id or 'all'}"
    )


@dataclass
class Figures:
    """The period's aggregates: the one-row summary, the weekly rows, the C2 stages."""

    summary: dict
    weekly: list[dict]
    stages: list[dict]
    computed_at: datetime


def period_figures(scope: Scope) -> Figures:
    """The three aggregate queries over the period, kept DASHBOARD_CACHE_SECONDS
    (default 600) because over a year of a large county they take seconds. The page
    shows their age ("N분 전 집계"); the work lists below them are always live."""
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 600)
    key = figures_cache_key(scope)
    if seconds:
        hit = cache.get(key)
        if isinstance(hit, Figures):
            return hit
    figures = Figures(summary(scope), weekly(scope), stage_stats(scope), scope.now)
    if seconds:
        cache.set(key, figures, seconds)
    return figures
