"""Each dashboard figure on a small data set whose right answer is known."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from compensation.models import CompensationRule, Payout, PayoutKind, PayoutState
from complaints.models import Stage, StageEvent
from dashboard import report, selectors
from dashboard.periods import period_for
from dashboard.selectors import Scope
from notifications.models import SmsMessage, Status
from reception import services as reception
from reception.models import CallbackState
from surveys.models import (
    Answer,
    FollowUpAction,
    FollowUpState,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from tests.dashboard.conftest import MARCH, MON, NOW, SEOUL
from tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


def march(department=None) -> Scope:
    period = period_for("custom", NOW, MON.date().replace(day=1), MON.date().replace(day=31))
    return Scope(period, department.pk if department else None, NOW)


def february(department=None) -> Scope:
    from datetime import date

    return Scope(period_for("custom", NOW, date(2026, 2, 1), date(2026, 2, 28)), None, NOW)


# --- O2: the legal deadline -------------------------------------------------------------
def test_O2_three_of_four_closed_within_the_legal_deadline_is_75_percent(county, roads):
    for scope in (march(), march(roads)):
        head = selectors.summary(scope).complaints
        assert head.closed == 4
        assert head.closed_on_time == 3
        assert head.on_time_rate == 75.0


def test_O2_counts_received_open_and_overdue_per_department(county, roads, environment):
    county_wide = selectors.summary(march()).complaints
    assert (county_wide.received, county_wide.open, county_wide.overdue) == (7, 3, 3)
    roads_only = selectors.summary(march(roads)).complaints
    assert (roads_only.received, roads_only.open, roads_only.overdue) == (6, 2, 2)
    env_only = selectors.summary(march(environment)).complaints
    assert (env_only.received, env_only.closed, env_only.open) == (1, 0, 1)
    assert env_only.on_time_rate is None


def test_O2_a_period_without_filings_counts_none_received(county):
    head = selectors.summary(february()).complaints
    assert head.received == 0
    assert head.closed == 0
    # Open and overdue are about now, whatever the period.
    assert head.open == 3


def test_O2_average_share_of_the_legal_period_used(county):
    closed = county["roads"]
    expected = statistics.mean(
        (c.closed_at - c.received_at) / (c.due_at - c.received_at) for c in closed
    )
    head = selectors.summary(march()).complaints
    assert head.used_pct == pytest.approx(100 * expected, abs=0.1)
    assert head.used_days == pytest.approx(7 * expected, abs=0.1)
    assert head.period_days == 7.0


# --- C2: the stages ---------------------------------------------------------------------
def _stage(stats, stage):
    return next(s for s in stats if s.stage == stage)


def test_C2_each_stage_on_time_rate_from_the_stage_history(county, roads):
    stats = selectors.stage_stats(march())
    received = _stage(stats, Stage.RECEIVED)
    # Four web filings and the environment one wait to be assigned; the two letters are
    # assigned as they are filed. Three web filings wait three days: late.
    assert (received.entered, received.left, received.on_time) == (7, 7, 4)
    assert received.on_time_rate == pytest.approx(57.1)
    verifying = _stage(stats, Stage.VERIFYING)
    # The fourth roads filing closes after its deadline: its verifying stage ran over.
    assert (verifying.entered, verifying.left, verifying.on_time) == (4, 4, 3)
    assert verifying.on_time_rate == 75.0
    assigned = _stage(stats, Stage.ASSIGNED)
    # Environment's filing and the two letters still sit in "assigned", past due.
    assert assigned.open_late == 3
    roads_received = _stage(selectors.stage_stats(march(roads)), Stage.RECEIVED)
    assert (roads_received.entered, roads_received.on_time) == (6, 3)
    assert roads_received.on_time_rate == 50.0


def test_C2_median_share_of_the_stage_budget_used(county):
    shares = []
    for complaint in county["roads"]:
        events = list(StageEvent.objects.filter(complaint=complaint).order_by("at", "id"))
        entry = next(e for e in events if e.to_stage == Stage.INVESTIGATING)
        exit_ = next(e for e in events if e.from_stage == Stage.INVESTIGATING)
        shares.append((exit_.at - entry.at) / (entry.due_at - entry.at))
    investigating = _stage(selectors.stage_stats(march()), Stage.INVESTIGATING)
    assert investigating.median_used == pytest.approx(statistics.median(shares), rel=1e-6)
    assert investigating.median_hours == pytest.approx(
        round(statistics.median(shares) * 16, 1), abs=0.05
    )


@pytest.mark.postgres
def test_C2_median_uses_percentile_cont_on_postgresql(county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        selectors.stage_stats(march())
    assert "PERCENTILE_CONT(0.5) WITHIN GROUP" in ctx.captured_queries[0]["sql"]


def test_C2_funnel_and_overdue_by_department(county, roads, environment):
    overdue = selectors.overdue_by_department(march())
    assert overdue[roads.pk] == 2
    assert overdue[environment.pk] == 1
    assert selectors.overdue_by_department(march(roads)) == {roads.pk: 2}
    table, chart = report.stage_table(selectors.stage_stats(march()))
    assert chart["series"][0]["data"] == [7, 7, 4, 4, 0]
    assert table.rows[0][0] == "접수"


def test_C2_overdue_list_links_to_the_admin_with_masked_names(county):
    table = report.overdue_table(selectors.overdue_items(march()), NOW)
    names = {row[1] for row in table.rows}
    assert names == {"최*경", "남**수", "장*고"}
    env = county["env"]
    assert reverse("admin:complaints_complaint_change", args=[env.pk]) in table.links


def test_O2_weekly_filings_by_channel_and_on_time_trend(county):
    weekly, trend, _weekly_chart, trend_chart = report.weekly_tables(selectors.weekly(march()))
    assert weekly.rows == [["2026-03-02", 2, 5, 7]]  # 우편 2, 인터넷 5
    assert trend.rows == [["2026-03-02", 7, 4, 3, "75.0%"]]
    assert trend_chart["series"][0]["data"] == [75.0]


# --- M1: paper notices within an hour ---------------------------------------------------
def test_M1_notice_rate_and_breaches_listed(county, roads, environment):
    c = selectors.summary(march()).complaints
    assert (c.m1_paper, c.m1_on_time, c.m1_breaches) == (2, 1, 1)
    items = selectors.m1_breach_items(march(roads))
    assert [c.pk for c in items] == [county["letter_late"].pk]
    table = report.m1_table(items)
    assert table.rows[0][1] == "장*고"
    assert table.rows[0][6] == 120
    assert selectors.m1_breach_items(march(environment)) == []


# --- M2: the board ----------------------------------------------------------------------
def test_M2_board_sweeps_on_time_and_posts_answered(county, roads, road_owner, roads_clerk):
    first = reception.post_question(
        title="가로등", body="고장", author_name="홍길동", department=roads, now=MON
    )
    reception.post_question(
        title="보도", body="파손", author_name="김철수", department=roads, now=MON
    )
    reception.sweep_board(now=datetime(2026, 3, 2, 14, 5, tzinfo=SEOUL))  # on the slot
    reception.sweep_board(now=datetime(2026, 3, 3, 16, 40, tzinfo=SEOUL))  # late
    first.refresh_from_db()
    reception.answer_post(first, answer="고쳤습니다", by=roads_clerk, now=MON + timedelta(days=1))
    board = selectors.summary(march(roads)).board
    assert (board.posts, board.routed, board.answered, board.unanswered) == (2, 2, 1, 1)
    assert (board.sweeps, board.sweeps_on_time) == (2, 1)
    assert board.first_sweep_at == datetime(2026, 3, 2, 14, 5, tzinfo=SEOUL)
    # 1–20 March 2026: 15 weekdays, less 2 March (the substitute holiday for 삼일절),
    # two sweeps each.
    assert selectors.expected_sweeps(march(), board.first_sweep_at) == 2 * 14


# --- P3 and V5: call backs ---------------------------------------------------------------
def test_P3_memo_call_backs_within_a_working_day(county, road_owner, roads_clerk, roads):
    kept = reception.record_memo(
        owner=road_owner,
        caller_name="홍길동",
        purpose="도로 문의",
        contacted_at=MON,
        callback_needed=True,
        phone="010-1111-2222",
        number_read_back=True,
        taken_by=roads_clerk,
        now=MON,
    )
    reception.record_memo(
        owner=road_owner,
        caller_name="김철수",
        purpose="보수 일정",
        contacted_at=MON,
        callback_needed=True,
        phone="010-3333-4444",
        number_read_back=True,
        taken_by=roads_clerk,
        now=MON,
    )
    reception.record_memo(
        owner=road_owner,
        caller_name="이영희",
        purpose="감사 인사",
        contacted_at=MON,
        callback_needed=False,
        phone="010-5555-6666",
        number_read_back=True,
        taken_by=roads_clerk,
        now=MON,
    )
    reception.close_memo(
        kept,
        state=CallbackState.DONE,
        note="통화함",
        by=roads_clerk,
        now=MON + timedelta(hours=2),
    )
    for scope in (march(), march(roads)):
        memos = selectors.summary(scope).memos
        assert (memos.taken, memos.done, memos.on_time, memos.overdue) == (2, 1, 1, 1)
        assert memos.settled == 2  # one called back in time, one owed past its time
    promises = report.promises_table(selectors.summary(march()), 28)
    assert [promises.rows[3][0], promises.rows[3][2]] == ["P3", "50.0%"]


def test_V5_consultation_call_backs_within_a_working_day(county, roads, roads_clerk, environment):
    early = reception.request_consultation(
        name="홍길동",
        phone="010-1111-2222",
        description="포장 공사",
        department=roads,
        sms_consent=False,
        now=MON,
    )
    late = reception.request_consultation(
        name="김철수",
        phone="010-3333-4444",
        description="인도 확장",
        department=roads,
        sms_consent=False,
        now=MON,
    )
    reception.close_consultation(
        early,
        state=CallbackState.DONE,
        note="안내함",
        by=roads_clerk,
        now=MON + timedelta(hours=3),
    )
    reception.close_consultation(
        late,
        state=CallbackState.DONE,
        note="안내함",
        by=roads_clerk,
        now=MON + timedelta(days=4),
    )
    consults = selectors.summary(march(roads)).consultations
    assert (consults.taken, consults.done, consults.on_time) == (2, 2, 1)
    assert selectors.summary(march(environment)).consultations.taken == 0


# --- O4: SMS ------------------------------------------------------------------------------
def test_O4_sms_sent_delivered_and_failed_county_wide(county, roads):
    SmsMessage.objects.all().delete()
    for n, status in enumerate(
        [Status.DELIVERED, Status.DELIVERED, Status.DELIVERED, Status.SENT, Status.FAILED]
    ):
        SmsMessage.objects.create(
            key=f"complaint:{n}:receipt",
            template="complaints/receipt",
            to="+821012345678",
            body="접수되었습니다",
            status=status,
            created_at=MON,
        )
    summary = selectors.summary(march())
    assert summary.sms is not None
    assert summary.sms.total == 5
    assert (summary.sms.delivered, summary.sms.sent, summary.sms.failed) == (3, 1, 1)
    row = report.promises_table(summary, 28).rows[5]
    assert (row[0], row[2]) == ("O4", "60.0%")
    # SMS rows carry no department: a department's page says so instead of a number.
    assert selectors.summary(march(roads)).sms is None
    assert report.promises_table(selectors.summary(march(roads)), 28).rows[5][2] == "—"


# --- S1: satisfaction ---------------------------------------------------------------------
def test_S1_average_score_and_open_follow_ups(county, roads, road_owner):
    survey = Survey.objects.create(kind="campaign", title="2026 만족도", slug="s1-2026")
    question = Question.objects.create(
        survey=survey, order=1, text="친절했나요?", kind=QuestionKind.SCALE
    )
    for score in (5, 4, 3, 2):
        response = Response.objects.create(survey=survey, department=roads, submitted_at=MON)
        Answer.objects.create(response=response, question=question, score=score)
    FollowUpAction.objects.create(
        survey=survey,
        question=question,
        department=roads,
        owner=road_owner,
        average="2.50",
        answers=4,
        due_on=MON.date() + timedelta(days=5),
        state=FollowUpState.OPEN,
        created_at=MON,
    )
    survey = selectors.summary(march(roads)).survey
    assert survey.average == 3.5
    assert (survey.responses, survey.answers) == (4, 4)
    assert (survey.open, survey.open_late, survey.done) == (1, 1, 0)


# --- K2: commendations --------------------------------------------------------------------
def test_K2_commendations_approved_in_the_period(county, roads, environment, manager):
    praised = StaffMemberFactory(department=roads, name="칭찬인")
    first = reception.submit_commendation(
        staff=praised, story="친절", nominator_name="홍길동", now=MON
    )
    reception.submit_commendation(staff=praised, story="신속", nominator_name="김철수", now=MON)
    reception.approve_commendations([first], by=manager, now=MON + timedelta(days=1))
    praise = selectors.summary(march(roads)).commendations
    assert (praise.received, praise.approved, praise.pending) == (2, 1, 1)
    assert selectors.summary(march(environment)).commendations.received == 0


# --- R6: payouts --------------------------------------------------------------------------
def test_R6_payouts_count_and_krw_by_rule_and_state(county, roads, environment):
    rules = {rule.code: rule for rule in CompensationRule.objects.all()}
    cases = [
        (county["roads"][0], "R2", PayoutState.PAID, 10_000, roads),
        (county["roads"][1], "R2", PayoutState.APPROVED, 10_000, roads),
        (county["roads"][2], "R5", PayoutState.PROPOSED, 10_000, roads),
        (county["env"], "R5", PayoutState.PAID, 10_000, environment),
    ]
    for complaint, code, state, amount, department in cases:
        Payout.objects.create(
            complaint=complaint,
            rule=rules[code],
            rule_version=1,
            department=department,
            amount=amount,
            kind=PayoutKind.VOUCHER,
            state=state,
            proposed_at=MON,
        )
    cells = selectors.payouts(march(roads))
    assert cells[("R2", PayoutState.PAID)] == selectors.PayoutCell(1, 10_000)
    assert cells[("R2", PayoutState.APPROVED)].n == cells[("R5", PayoutState.PROPOSED)].n == 1
    assert ("R5", PayoutState.PAID) not in cells
    table = report.payout_table(cells)
    assert table.summary == "승인·지급 2건, 20,000원"
    assert selectors.payouts(march())[("R5", PayoutState.PAID)].krw == 10_000


# --- The page as a whole ------------------------------------------------------------------
def test_O2_C2_page_shows_the_figures_in_at_most_ten_queries(
    county, frozen, manager, client_for, django_assert_max_num_queries
):
    client = client_for(manager)
    with django_assert_max_num_queries(10):
        response = client.get("/dashboard/" + MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "75.0%" in html
    assert 'id="dashboard-data"' in html
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html


def test_O2_department_head_page_in_at_most_ten_queries(
    county, frozen, roads_head, client_for, django_assert_max_num_queries
):
    client = client_for(roads_head)
    with django_assert_max_num_queries(10):
        response = client.get("/dashboard/" + MARCH)
    assert response.status_code == 200


def test_C2_M1_work_lists_in_at_most_ten_queries_however_many_filings(
    county, frozen, manager, roads_head, road_type, client_for
):
    """The figures page (drawn cold, over several periods) and the work lists ask the
    same number of queries whatever the number of filings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints import services
    from tests.complaints.factories import intake_for

    urls = [
        "/dashboard/" + MARCH,
        "/dashboard/?period=week",
        "/dashboard/?period=year",
        "/dashboard/lists/" + MARCH,
    ]

    def counts() -> list[int]:
        found = []
        for user in (manager, roads_head):
            client = client_for(user)
            for url in urls:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                found.append(len(captured.captured_queries))
        return found

    before = counts()
    assert max(before) <= 10, before
    for n in range(25):
        services.file_complaint(intake_for(road_type, name=f"추가{n}", arrived_at=MON), now=MON)
    assert counts() == before


def test_O2_default_period_is_this_month_in_seoul(county, manager, client_for):
    import time_machine

    # 31 March 2026 23:30 in Seoul is still March there (14:30 UTC).
    with time_machine.travel(datetime(2026, 3, 31, 23, 30, tzinfo=SEOUL), tick=False):
        response = client_for(manager).get("/dashboard/")
    assert response.context["scope"].period.first.isoformat() == "2026-03-01"
    assert response.context["headline"].received == 7


def test_C2_stage_figures_are_cached_and_the_page_says_how_old(
    county, manager, client_for, settings
):
    import time_machine
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 600
    key = selectors.figures_cache_key(march())
    cache.delete(key)
    client = client_for(manager)
    with time_machine.travel(NOW, tick=False):
        assert "방금 집계" in client.get("/dashboard/" + MARCH).content.decode()
    with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
        html = client.get("/dashboard/" + MARCH).content.decode()
    assert "4분 전 집계" in html
    cache.delete(key)


# --- Nothing measured is not a failure ------------------------------------------------------
def test_M2_O4_promises_say_no_data_yet_when_nothing_was_measured(county):
    """No sweep has ever run, no post was routed and no SMS delivery was reported (the
    embedded run: console SMS, no scheduler): no data yet, not 0.0 %."""
    for n in range(2):
        SmsMessage.objects.create(
            key=f"dashboard-test:{n}",
            template="complaints/receipt",
            to="+821012345678",
            body="접수되었습니다",
            status=Status.SENT,
            created_at=MON,
        )
    reception.post_question(title="가로등", body="고장", author_name="홍길동", now=MON)
    summary = selectors.summary(march())
    assert summary.sms is not None and summary.sms.total > 0
    assert summary.board.first_sweep_at is None
    expected = selectors.expected_sweeps(march(), summary.board.first_sweep_at)
    assert expected == 0
    rows = {(row[0], row[1]): row[2] for row in report.promises_table(summary, expected).rows}
    assert rows[("M2", "게시판 하루 두 번 확인")] == "아직 자료 없음"
    assert rows[("M2", "게시판 글 답변")] == "아직 자료 없음"
    assert rows[("O4", "문자 알림 전달")] == "아직 자료 없음"
    # Once a report arrives the rate is measured, even when it is low.
    SmsMessage.objects.filter(key="dashboard-test:0").update(status=Status.FAILED)
    o4 = report.promises_table(selectors.summary(march()), 28).rows[5]
    assert (o4[0], o4[2]) == ("O4", "0.0%")


def test_M2_a_sweep_slot_is_expected_once_its_grace_has_passed_and_the_schedule_ran():
    # Friday 20 March 2026: 14 working days before it in March (2 March is a holiday).
    first, last = datetime(2026, 3, 1).date(), datetime(2026, 3, 31).date()
    since = datetime(2026, 3, 1, tzinfo=SEOUL)
    for hour, minute, today in ((8, 0, 0), (9, 29, 0), (9, 30, 1), (14, 31, 2)):
        now = datetime(2026, 3, 20, hour, minute, tzinfo=SEOUL)
        scope = Scope(period_for("custom", now, first, last), None, now)
        assert selectors.expected_sweeps(scope, since) == 2 * 13 + today, (hour, minute)
    # A schedule that never ran expects nothing; one first run on Thursday 19 March at
    # 12:00 (after the morning slot) expects that afternoon's and Friday's slots.
    assert selectors.expected_sweeps(scope, None) == 0
    assert selectors.expected_sweeps(scope, datetime(2026, 3, 19, 12, tzinfo=SEOUL)) == 3


def test_C2_the_lowest_stage_is_named_only_when_stages_differ(county):
    table, _chart = report.stage_table(selectors.stage_stats(march()))
    assert table.summary.startswith("기한 내 비율이 가장 낮은 단계는 ‘접수’(57.1%)")
    same = [
        selectors.StageFigures(stage, entered=2, left=2, on_time=2, open_late=0, median_used=0.5)
        for stage in (Stage.RECEIVED, Stage.ASSIGNED)
    ]
    table, _chart = report.stage_table(same)
    assert table.summary == "끝난 단계의 기한 내 비율은 모두 100.0%입니다."
