"""Every figure of the dashboard, as database aggregates (O2 C2 M1 M2 P3 V5 O4 S1 K2 R6).

The figures of a period are a handful of queries whatever the number of rows, each read
into a typed dataclass:

1. `summary` — one row: the complaint headline and M1 (`ComplaintFigures`), and beside
   them, as one-row subqueries, P3, V5, M2, O4, S1 and K2 (one dataclass each);
2. `payouts` — payouts per rule and state (R1–R6);
3. `weekly` — filings per receipt week and channel, with closed and on-time counts;
4. `stage_stats` — each C2 stage from `StageEvent`: entered, left, on time, median share
   of the stage budget used;
5. `overdue_by_department` — how many filings are past their stage's due time now.

The work lists (`overdue_items`, `m1_breach_items`) are the work-list page's and the
exports'. No Python loop runs over data rows; Python only divides the sums the database
returns.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject, Lead, NullIf, TruncWeek
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from compensation.models import Payout, PayoutState
from complaints import deadlines
from complaints.models import Action, Complaint, Stage, StageEvent
from complaints.models.complaint import OPEN_STAGES, PAPER_CHANNELS, RUNNING_STAGES
from complaints.querysets import M1_LIMIT_MINUTES
from complaints.services import STAGE_BUDGET_KEY
from dashboard.expressions import EpochSeconds, Median
from dashboard.periods import (
    NAMED_PERIODS,
    SEOUL,
    Period,
    period_for,
    seoul_today,
    working_days,
)
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
# A board sweep counts as on time when it ran within 30 minutes of a scheduled slot.
SWEEP_HOURS = (9, 14)
SWEEP_GRACE_MINUTES = 30
PAYOUT_STATES = (PayoutState.PROPOSED, PayoutState.APPROVED, PayoutState.PAID, PayoutState.REJECTED)


def stage_budget_hours(stage: str) -> int:
    """The working hours a C2 stage may take, from the budgets the services run on."""
    return deadlines.STAGE_BUDGET_DAYS[STAGE_BUDGET_KEY[stage]] * deadlines.HOURS_PER_DAY


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


def _one_row(queryset: QuerySet) -> QuerySet:
    """The queryset as one row of aggregates over all its rows: grouped by a constant,
    which no GROUP BY needs, so an empty table still gives its one row of zeros."""
    return queryset.order_by().values(one=Value(1))


def _count(condition: Q | None = None) -> Count:
    return Count("pk", filter=condition)


def _ratio(used_from: str, used_to: str, allowed_to: str):
    """(used_to − used_from) / (allowed_to − used_from), in wall-clock seconds."""
    start = EpochSeconds(F(used_from))
    return (EpochSeconds(F(used_to)) - start) / NullIf(EpochSeconds(F(allowed_to)) - start, 0.0)


def _moment(row: dict) -> datetime | None:
    """A moment read back from a JSON row: ISO text, in UTC when it carries no offset."""
    value = parse_datetime(row["first_sweep_at"] or "")
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _read(cls, row: dict):
    """A dataclass from a row whose keys are exactly its fields: a missing or extra
    figure fails here instead of showing as a blank on the page."""
    return cls(**{f.name: row[f.name] for f in fields(cls)})


# --- 1. The one-row summary -------------------------------------------------------------
@dataclass(frozen=True)
class ComplaintFigures:
    """O2 and M1: filings received and closed in the period, open and overdue now."""

    received: int
    closed: int
    closed_on_time: int
    open: int
    overdue: int
    past_legal: int
    used_ratio: float | None  # mean share of the legal period used by closed filings
    used_days: float | None
    period_days: float | None
    m1_paper: int
    m1_on_time: int
    m1_breaches: int

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.closed_on_time, self.closed)

    @property
    def used_pct(self) -> float | None:
        return None if self.used_ratio is None else round(100.0 * self.used_ratio, 1)


@dataclass(frozen=True)
class CallbackFigures:
    """P3 (memos) and V5 (consultations): call backs owed, done, done in time."""

    taken: int
    done: int
    on_time: int
    late: int  # taken in the period, still pending past their due time
    overdue: int  # pending past their due time now, whenever taken

    @property
    def settled(self) -> int:
        """Call backs whose outcome is known: done, or owed past their due time. One
        still within its time is not measured yet."""
        return self.done + self.late


@dataclass(frozen=True)
class BoardFigures:
    """M2: posts written in the period and the scheduled sweeps that ran."""

    posts: int
    routed: int
    answered: int
    unanswered: int  # routed and waiting for an answer now
    sweeps: int
    sweeps_on_time: int
    first_sweep_at: datetime | None  # None: the schedule has never run, nothing measured


@dataclass(frozen=True)
class SmsFigures:
    """O4: text messages queued in the period, by what became of them."""

    total: int
    sent: int
    delivered: int
    failed: int
    waiting: int

    @property
    def outcomes(self) -> int:
        """Messages whose fate the provider has reported (delivered or not)."""
        return self.delivered + self.failed


@dataclass(frozen=True)
class SurveyFigures:
    """S1: satisfaction answers in the period and the follow-up actions."""

    average: float | None
    answers: int
    responses: int
    open: int
    open_late: int
    done: int


@dataclass(frozen=True)
class CommendationFigures:
    """K2: commendations received and approved in the period, waiting now."""

    received: int
    approved: int
    pending: int


@dataclass(frozen=True)
class Summary:
    complaints: ComplaintFigures
    memos: CallbackFigures
    consultations: CallbackFigures
    board: BoardFigures
    sms: SmsFigures | None  # SMS rows carry no department: the whole county only
    survey: SurveyFigures
    commendations: CommendationFigures


def _complaint_aggregates(scope: Scope) -> dict:
    received = _in("received_at", scope)
    closed = _in("closed_at", scope)
    paper = Q(channel__in=PAPER_CHANNELS) & received
    m1_late = Q(notice_delay_minutes__gt=M1_LIMIT_MINUTES) | Q(
        owner_notified_at__isnull=True,
        received_at__lt=scope.now - timedelta(minutes=M1_LIMIT_MINUTES),
    )
    open_now = Q(stage__in=OPEN_STAGES)
    used = _ratio("received_at", "closed_at", "due_at")
    return {
        "received": _count(received),
        "closed": _count(closed),
        "closed_on_time": _count(closed & Q(closed_at__lte=F("due_at"))),
        "open": _count(open_now),
        "overdue": _count(Q(stage__in=RUNNING_STAGES, stage_due_at__lt=scope.now)),
        "past_legal": _count(open_now & Q(due_at__lt=scope.now)),
        "used_ratio": Avg(used, filter=closed, output_field=FloatField()),
        "used_days": Avg(
            used * F("complaint_type__period_days"), filter=closed, output_field=FloatField()
        ),
        "period_days": Avg("complaint_type__period_days", filter=closed, output_field=FloatField()),
        "m1_paper": _count(paper),
        "m1_on_time": _count(paper & Q(notice_delay_minutes__lte=M1_LIMIT_MINUTES)),
        "m1_breaches": _count(paper & m1_late),
    }


def _row(queryset: QuerySet, **aggregates) -> Subquery:
    """One-row aggregates over another table, as one JSON object beside the summary."""
    return Subquery(_one_row(queryset).annotate(row=JSONObject(**aggregates)).values("row"))


def _dept(queryset: QuerySet, scope: Scope, field: str = "department_id") -> QuerySet:
    if scope.department_id is None:
        return queryset
    return queryset.filter(**{field: scope.department_id})


def _callbacks(queryset: QuerySet, scope: Scope) -> Subquery:
    taken = _in("created_at", scope)
    done = taken & Q(callback_state=CallbackState.DONE)
    late = Q(callback_state=CallbackState.PENDING, callback_due_at__lt=scope.now)
    return _row(
        queryset,
        taken=_count(taken),
        done=_count(done),
        on_time=_count(done & Q(closed_at__lte=F("callback_due_at"))),
        late=_count(taken & late),
        overdue=_count(late),
    )


def _board(scope: Scope) -> dict[str, Subquery]:
    written = _in("created_at", scope)
    on_slot = Q(ran_at__hour__in=SWEEP_HOURS, ran_at__minute__lt=SWEEP_GRACE_MINUTES)
    ran = _in("ran_at", scope)
    return {
        "posts": _row(
            _dept(BoardPost.objects.all(), scope),
            posts=_count(written),
            routed=_count(written & Q(routed_at__isnull=False)),
            answered=_count(written & Q(answered_at__isnull=False)),
            unanswered=_count(Q(routed_at__isnull=False, answered_at__isnull=True)),
        ),
        "sweeps": _row(
            BoardSweep.objects.all(),
            sweeps=_count(ran),
            sweeps_on_time=_count(ran & on_slot),
            first_sweep_at=Min("ran_at"),
        ),
    }


def _survey(scope: Scope) -> dict[str, Subquery]:
    answers = Answer.objects.filter(
        _in("response__submitted_at", scope),
        question__kind=QuestionKind.SCALE,
        score__isnull=False,
    )
    open_state = Q(state=FollowUpState.OPEN)
    return {
        "answers": _row(
            _dept(answers, scope, "response__department_id"),
            average=Avg("score", output_field=FloatField()),
            answers=_count(),
            responses=Count("response_id", distinct=True),
        ),
        "follow_ups": _row(
            _dept(FollowUpAction.objects.all(), scope),
            open=_count(open_state),
            open_late=_count(open_state & Q(due_on__lt=seoul_today(scope.now))),
            done=_count(Q(state=FollowUpState.DONE) & _in("done_at", scope)),
        ),
    }


def _commendations(scope: Scope) -> Subquery:
    return _row(
        _dept(Commendation.objects.all(), scope, "staff__department_id"),
        received=_count(_in("created_at", scope)),
        approved=_count(Q(status=CommendationStatus.APPROVED) & _in("reviewed_at", scope)),
        pending=_count(Q(status=CommendationStatus.PENDING)),
    )


def _sms(scope: Scope) -> Subquery:
    return _row(
        SmsMessage.objects.filter(_in("created_at", scope)),
        total=_count(),
        sent=_count(Q(status=Status.SENT)),
        delivered=_count(Q(status=Status.DELIVERED)),
        failed=_count(Q(status__in=[Status.FAILED, Status.UNDELIVERED])),
        waiting=_count(Q(status__in=[Status.QUEUED, Status.SENDING])),
    )


def summary(scope: Scope) -> Summary:
    """Every single-number figure of the page, in one query: the complaints' aggregates,
    with each other table's one-row aggregates as a subquery beside them."""
    complaints = Complaint.objects.filter(
        _in("received_at", scope) | _in("closed_at", scope) | Q(stage__in=OPEN_STAGES)
    )
    others = {
        "memos": _callbacks(
            _dept(Memo.objects.filter(callback_needed=True), scope, "owner__department_id"),
            scope,
        ),
        "consultations": _callbacks(_dept(Consultation.objects.all(), scope), scope),
        **_board(scope),
        **_survey(scope),
        "commendations": _commendations(scope),
    }
    if scope.department_id is None:
        others["sms"] = _sms(scope)
    aggregates = _complaint_aggregates(scope)
    row = (
        _one_row(_dept(complaints, scope))
        .annotate(**aggregates, **others)
        .values(*aggregates, *others)
        .get()
    )
    return Summary(
        complaints=_read(ComplaintFigures, row),
        memos=_read(CallbackFigures, row["memos"]),
        consultations=_read(CallbackFigures, row["consultations"]),
        board=_read(
            BoardFigures,
            {**row["posts"], **row["sweeps"], "first_sweep_at": _moment(row["sweeps"])},
        ),
        sms=_read(SmsFigures, row["sms"]) if "sms" in row else None,
        survey=_read(SurveyFigures, {**row["answers"], **row["follow_ups"]}),
        commendations=_read(CommendationFigures, row["commendations"]),
    )


# --- 2. Payouts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PayoutCell:
    """Payouts of one rule in one state: how many, and how many won."""

    n: int = 0
    krw: int = 0


def payouts(scope: Scope) -> dict[tuple[str, str], PayoutCell]:
    """(rule code, state) → its payouts proposed in the period; absent cells are empty."""
    qs = _dept(Payout.objects.filter(_in("proposed_at", scope)), scope)
    rows = (
        qs.order_by()
        .values("rule__code", "state")
        .annotate(n=Count("pk"), krw=Sum("amount"))
        .values_list("rule__code", "state", "n", "krw")
    )
    return {(code, state): PayoutCell(n, krw or 0) for code, state, n, krw in rows}


# --- 3. Weekly filings, closed and on time ------------------------------------------------
@dataclass(frozen=True)
class WeekRow:
    """Filings received in one week (Monday, Seoul) through one channel."""

    week: datetime
    channel: str
    filed: int
    closed: int
    on_time: int


def weekly(scope: Scope) -> list[WeekRow]:
    """Per receipt week (Monday, Seoul) and channel: filings, closed, closed on time."""
    qs = _dept(Complaint.objects.filter(_in("received_at", scope)), scope)
    rows = (
        qs.annotate(week=TruncWeek("received_at", tzinfo=SEOUL))
        .values("week", "channel")
        .annotate(
            filed=Count("pk"),
            closed=Count("pk", filter=Q(closed_at__isnull=False)),
            on_time=Count("pk", filter=Q(closed_at__lte=F("due_at"))),
        )
        .order_by("week", "channel")
    )
    return [_read(WeekRow, row) for row in rows]


# --- 4. C2 stages from the stage history -------------------------------------------------
@dataclass(frozen=True)
class StageFigures:
    """One C2 stage of the period: how often it was entered and left, and how long the
    stays took against the stage's budget."""

    stage: str
    entered: int
    left: int
    on_time: int
    open_late: int  # entered, not yet left, past its due time now
    median_used: float | None  # median share of the budget used by the stays that ended

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def budget_hours(self) -> int:
        return stage_budget_hours(self.stage)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.left)

    @property
    def median_hours(self) -> float | None:
        if self.median_used is None:
            return None
        return round(self.median_used * self.budget_hours, 1)


def stage_changes(scope: Scope) -> QuerySet:
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
    return _dept(qs, scope, "complaint__department_id").annotate(
        left_at=Window(
            Lead("at"),
            partition_by=[F("complaint_id")],
            order_by=[F("at").asc(), F("id").asc()],
        )
    )


def stage_stats(scope: Scope) -> list[StageFigures]:
    """Per C2 stage: entered, left, left on time, open past due, median budget used.
    The aggregates read the window's rows, so the database wraps it as a subquery; the
    period's end is applied there, after each stay's end is known."""
    used = _ratio("at", "left_at", "due_at")
    aggregates: dict[str, Aggregate] = {}
    for stage in RUNNING_STAGES:
        here = Q(to_stage=stage, at__lt=scope.end, due_at__isnull=False)
        aggregates |= {
            f"{stage}_entered": _count(here),
            f"{stage}_left": _count(here & Q(left_at__isnull=False)),
            f"{stage}_on_time": _count(here & Q(left_at__lte=F("due_at"))),
            f"{stage}_open_late": _count(here & Q(left_at__isnull=True, due_at__lt=scope.now)),
            f"{stage}_median_used": Median(used, filter=here),
        }
    row = stage_changes(scope).order_by().aggregate(**aggregates)
    names = [f.name for f in fields(StageFigures) if f.name != "stage"]
    return [
        StageFigures(stage, **{name: row[f"{stage}_{name}"] for name in names})
        for stage in RUNNING_STAGES
    ]


# --- 5. Overdue now, per department --------------------------------------------------------
def overdue_by_department(scope: Scope) -> dict[int, int]:
    """Department id → filings whose stage is past its due time now: a counted subquery
    per department, which the partial index (department, stage due time) over the
    running stages answers from the index alone."""
    overdue = (
        Complaint.objects.overdue(scope.now)
        .filter(department_id=OuterRef("pk"))
        .order_by()
        .values("department_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        _dept(Department.objects.all(), scope, "pk")
        .annotate(n=Coalesce(Subquery(overdue), 0))
        .values_list("pk", "n")
    )
    return {pk: n for pk, n in rows if n}


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    name_en: str


def departments(department_id: int | None = None) -> list[DepartmentRow]:
    """The departments (all, or one) in the directory's order."""
    qs = Department.objects.order_by("order", "name")
    if department_id is not None:
        qs = qs.filter(pk=department_id)
    return [DepartmentRow(*row) for row in qs.values_list("id", "name", "name_en")]


# --- The work lists -----------------------------------------------------------------------
def overdue_items(scope: Scope, page: int = 1) -> list[Complaint]:
    """Filings whose stage is overdue now, the longest overdue first."""
    qs = _dept(Complaint.objects.overdue(scope.now), scope)
    offset = (page - 1) * PAGE_SIZE
    return list(
        qs.select_related("department", "owner", "complaint_type").order_by("stage_due_at", "id")[
            offset : offset + PAGE_SIZE
        ]
    )


def m1_breach_items(scope: Scope, limit: int = PAGE_SIZE) -> list[Complaint]:
    """Letter and FAX filings of the period whose owner heard of them too late (M1)."""
    qs = _dept(Complaint.objects.m1_breaches(scope.now).filter(_in("received_at", scope)), scope)
    return list(qs.select_related("department", "owner").order_by("-received_at", "id")[:limit])


# --- Arithmetic on the aggregates ---------------------------------------------------------
def rate(part: int | None, whole: int | None) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


def expected_sweeps(scope: Scope, since: datetime | None) -> int:
    """Scheduled board sweeps (two a working day, M2) of the period whose slot and its
    grace ended after the schedule first ran (`since`) and before now: none before the
    first sweep, so a new installation is not failing slots it never had."""
    if since is None:
        return 0
    first = max(scope.period.first, seoul_today(since))
    last = min(scope.period.last, seoul_today(scope.now))
    count = len(SWEEP_HOURS) * working_days(first, last)
    grace = timedelta(minutes=SWEEP_GRACE_MINUTES)
    # Only the first and the last day can be partly before `since` or after now.
    for day in {first, last}:
        if first <= day <= last and working_days(day, day):
            for hour in SWEEP_HOURS:
                ends = datetime.combine(day, time(hour), tzinfo=SEOUL) + grace
                if ends < since or ends > scope.now:
                    count -= 1
    return count


def figures_cache_key(scope: Scope) -> str:
    database = connection.settings_dict.get("NAME")
    return (
        f"dashboard:figures:v3:{database}:{scope.period.first:%Y%m%d}:"
        f"{scope.period.last:%Y%m%d}:{scope.department_id or 'all'}"
    )


@dataclass(frozen=True)
class Figures:
    """The period's aggregates: no row of any person, only counts, shares and sums."""

    summary: Summary
    payouts: dict[tuple[str, str], PayoutCell]
    weekly: list[WeekRow]
    stages: list[StageFigures]
    overdue: dict[int, int]  # department id → overdue filings now
    computed_at: datetime


def period_figures(scope: Scope, *, refresh: bool = False) -> Figures:
    """The aggregate queries over the period, kept DASHBOARD_CACHE_SECONDS because over a
    year of a large county they take seconds. The page shows their age ("N분 전 집계").
    `refresh` computes them again even when kept (the schedule, `refresh_figures`)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    key = figures_cache_key(scope)
    if seconds and not refresh:
        hit = cache.get(key)
        if isinstance(hit, Figures):
            return hit
    figures = Figures(
        summary(scope),
        payouts(scope),
        weekly(scope),
        stage_stats(scope),
        overdue_by_department(scope),
        scope.now,
    )
    if seconds:
        cache.set(key, figures, seconds)
    return figures


def named_scopes(now: datetime) -> list[Scope]:
    """Every period the filter offers by name (this week, month, quarter and year) at
    `now`, for the county and for each department."""
    return [
        Scope(period_for(kind, now), department_id, now)
        for kind in NAMED_PERIODS
        for department_id in [None, *(row.id for row in departments())]
    ]


def refresh_figures(now: datetime) -> int:
    """Compute ahead the figures of the named scopes and keep them: a manager's page then
    reads them, and only a period of chosen dates is drawn while they wait. Returns how
    many sets were computed (none when nothing is kept)."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return 0
    scopes = named_scopes(now)
    for scope in scopes:
        period_figures(scope, refresh=True)
    return len(scopes)
