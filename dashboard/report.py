"""The dashboard's tables, built from the aggregates of `selectors`.

Each table is a caption, Korean column names and rows; the page shows them, the charts
draw from them and the exports write them, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from compensation.models import PayoutState, RuleCode
from complaints.models import Channel, Stage
from dashboard import selectors
from dashboard.selectors import (
    ComplaintFigures,
    DepartmentRow,
    PayoutCell,
    StageFigures,
    Summary,
    WeekRow,
    rate,
)

TABLES = {
    "headline": gettext_lazy("주요 지표"),
    "weekly": gettext_lazy("주별 접수 경로별 접수 건수"),
    "trend": gettext_lazy("주별 기한 내 처리율"),
    "stages": gettext_lazy("단계별 처리 현황(C2)"),
    "departments": gettext_lazy("부서별 기한 경과 건수"),
    "overdue": gettext_lazy("지금 기한이 지난 민원"),
    "m1": gettext_lazy("우편·FAX 담당자 통보 지연(M1)"),
    "promises": gettext_lazy("서비스 이행표준 약속 이행"),
    "payouts": gettext_lazy("보상 지급(R1–R6)"),
}


@dataclass
class Table:
    name: str
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Per row: the admin address of the filing, when the row is one (work lists).
    links: list[str | None] = field(default_factory=list)
    summary: str = ""
    personal: bool = False
    # How fresh the figures are, when they come from the cached summary.
    note: str = ""
    complaint_ids: list[int] = field(default_factory=list)
    # Where the page's export links point: the exports' address prefix and the filter.
    export_prefix: str = ""
    export_query: str = ""

    def html(self) -> SafeString:
        """The whole table (caption, column headers, rows) and its download links."""
        caption = escape(self.caption)
        columns = "".join(f'<th scope="col">{escape(column)}</th>' for column in self.columns)
        query = f"?{escape(self.export_query)}" if self.export_query else ""
        hidden = f'<span class="visually-hidden"> ({caption})</span>'
        links = " ·\n  ".join(
            f'<a href="{escape(self.export_prefix)}{self.name}.{fmt}{query}">{label}{hidden}</a>'
            for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"))
        )
        return mark_safe(  # every value below is escaped
            f'<div class="table-responsive">\n'
            f'<table class="table table-sm table-striped dashboard-table" id="table-{self.name}">\n'
            f"  <caption>{caption}</caption>\n"
            f"  <thead>\n    <tr>{columns}</tr>\n  </thead>\n"
            f"  <tbody>\n{self.rows_html()}\n  </tbody>\n</table>\n</div>\n"
            f'<p class="export-links small">{escape(_("내려받기"))}:\n  {links}\n</p>'
        )

    def rows_html(self) -> SafeString:
        """The table's body rows: the first cell a row header (a link to the filing in
        the admin on work lists). Built here rather than in a template loop (like the
        rest of the table in `html`): a year's tables have thousands of cells, and the
        template engine spent most of the page's time on them."""
        if not self.rows:
            empty = escape(_("해당하는 항목이 없습니다."))
            return mark_safe(f'<tr><td colspan="{len(self.columns)}">{empty}</td></tr>')
        lines = []
        for index, row in enumerate(self.rows):
            if not row:
                lines.append("<tr></tr>")
                continue
            first = str(escape(row[0]))
            link = self.links[index] if index < len(self.links) else None
            if link:
                first = f'<a href="{escape(link)}">{first}</a>'
            cells = "".join(f"<td>{_cell(cell)}</td>" for cell in row[1:])
            lines.append(f'<tr><th scope="row">{first}</th>{cells}</tr>')
        return mark_safe("\n".join(lines))  # every value above is escaped


def _cell(value) -> str:
    """A cell's HTML: numbers as they are (nothing to escape), anything else escaped."""
    if type(value) is int:
        return str(value)
    return escape(value)


def age_note(computed_at: datetime, now: datetime) -> str:
    minutes = int((now - computed_at).total_seconds() // 60)
    if minutes < 1:
        return _("방금 집계")
    return _("%(minutes)d분 전 집계") % {"minutes": minutes}


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def measured(value: float | None) -> str:
    """A promise's rate, or "no data yet" when nothing was measured (not 0.0 %)."""
    return _("아직 자료 없음") if value is None else pct(value)


def number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def local(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def department_name(row: DepartmentRow) -> str:
    if get_language() == "en" and row.name_en:
        return row.name_en
    return row.name


# --- Headline ---------------------------------------------------------------------------
def headline_table(h: ComplaintFigures) -> Table:
    rows = [
        [_("접수"), number(h.received), _("기간 중 접수한 민원")],
        [_("처리 완료"), number(h.closed), _("기간 중 결과 통보·반려로 종결")],
        [_("처리 중"), number(h.open), _("지금 열려 있는 민원(보완 요청 포함)")],
        [
            _("법정처리기한 내 처리율"),
            pct(h.on_time_rate),
            _("종결 %(closed)s건 중 %(on_time)s건이 기한 안에 종결")
            % {"closed": number(h.closed), "on_time": number(h.closed_on_time)},
        ],
        [_("단계 기한 경과(지금)"), number(h.overdue), _("단계 기한이 지난 진행 중 민원")],
        [
            _("법정처리기한 경과(지금)"),
            number(h.past_legal),
            _("법정처리기한이 지난 미종결 민원"),
        ],
        [
            _("법정기간 대비 평균 사용(O2)"),
            pct(h.used_pct),
            _("평균 %(used)s일 사용 / 평균 법정기간 %(days)s일(경과 시간 비율로 추정)")
            % {"used": number(h.used_days), "days": number(h.period_days)},
        ],
    ]
    return Table("headline", str(TABLES["headline"]), [_("지표"), _("값"), _("설명")], rows)


# --- Weekly charts ------------------------------------------------------------------------
def weekly_tables(rows: list[WeekRow]) -> tuple[Table, Table, dict, dict]:
    """Filings per week and channel, and the on-time trend, with their chart data."""
    weeks: list[str] = []
    channels = [c for c in Channel.values if any(r.channel == c for r in rows)]
    cells: dict[tuple[str, str], int] = {}
    totals: dict[str, dict[str, int]] = {}
    labels_of: dict[datetime, str] = {}  # each week's Seoul date, worked out once
    for row in rows:  # one row per (week, channel): at most 53 × 9 sums
        week = labels_of.get(row.week)
        if week is None:
            week = labels_of[row.week] = timezone.localtime(row.week).date().isoformat()
        if week not in totals:
            weeks.append(week)
            totals[week] = {"filed": 0, "closed": 0, "on_time": 0}
        cells[(week, row.channel)] = row.filed
        totals[week]["filed"] += row.filed
        totals[week]["closed"] += row.closed
        totals[week]["on_time"] += row.on_time
    labels = [Channel(c).label for c in channels]
    weekly = Table(
        "weekly",
        str(TABLES["weekly"]),
        [_("주(월요일)"), *[str(label) for label in labels], _("합계")],
        [
            [week, *[cells.get((week, c), 0) for c in channels], totals[week]["filed"]]
            for week in weeks
        ],
    )
    total = sum(t["filed"] for t in totals.values())
    if weeks:
        busiest = max(weeks, key=lambda w: totals[w]["filed"])
        weekly.summary = _(
            "%(weeks)d주 동안 %(total)s건 접수. 가장 많은 주는 %(week)s 주(%(n)s건)입니다."
        ) % {
            "weeks": len(weeks),
            "total": number(total),
            "week": busiest,
            "n": number(totals[busiest]["filed"]),
        }
    else:
        weekly.summary = _("이 기간에는 접수한 민원이 없습니다.")
    trend = Table(
        "trend",
        str(TABLES["trend"]),
        [_("주(월요일)"), _("접수"), _("종결"), _("기한 내 종결"), _("기한 내 처리율")],
        [
            [
                week,
                totals[week]["filed"],
                totals[week]["closed"],
                totals[week]["on_time"],
                pct(rate(totals[week]["on_time"], totals[week]["closed"])),
            ]
            for week in weeks
        ],
    )
    rates = [rate(totals[w]["on_time"], totals[w]["closed"]) for w in weeks]
    known = [r for r in rates if r is not None]
    trend.summary = (
        _("접수 주 기준, 종결된 민원의 기한 내 처리율은 %(low)s에서 %(high)s 사이입니다.")
        % {"low": pct(min(known)), "high": pct(max(known))}
        if known
        else _("이 기간에 접수해 종결한 민원이 아직 없습니다.")
    )
    weekly_chart = {
        "labels": weeks,
        "series": [
            {"label": str(label), "data": [cells.get((w, c), 0) for w in weeks]}
            for c, label in zip(channels, labels, strict=True)
        ],
    }
    trend_chart = {"labels": weeks, "series": [{"label": _("기한 내 처리율"), "data": rates}]}
    return weekly, trend, weekly_chart, trend_chart


def stage_table(stats: list[StageFigures]) -> tuple[Table, dict]:
    table = Table(
        "stages",
        str(TABLES["stages"]),
        [
            _("단계"),
            _("진입"),
            _("완료"),
            _("기한 내 완료"),
            _("기한 내 비율"),
            _("기한 경과 진행 중"),
            _("예산 사용 중앙값"),
            _("근무시간 환산(추정) / 예산"),
        ],
        [
            [
                s.label,
                s.entered,
                s.left,
                s.on_time,
                pct(s.on_time_rate),
                s.open_late,
                pct(None if s.median_used is None else 100 * s.median_used),
                f"{number(s.median_hours)} / {s.budget_hours}",
            ]
            for s in stats
        ],
    )
    rated = [s for s in stats if s.on_time_rate is not None]
    rates = {s.on_time_rate for s in rated}
    if len(rates) > 1:
        worst = min(rated, key=lambda s: s.on_time_rate or 0.0)
        table.summary = _("기한 내 비율이 가장 낮은 단계는 ‘%(stage)s’(%(rate)s)입니다.") % {
            "stage": worst.label,
            "rate": pct(worst.on_time_rate),
        }
    elif rates:
        table.summary = _("끝난 단계의 기한 내 비율은 모두 %(rate)s입니다.") % {
            "rate": pct(rates.pop())
        }
    else:
        table.summary = _("이 기간에 끝난 단계가 없습니다.")
    chart = {
        "labels": [s.label for s in stats],
        "series": [{"label": _("진입"), "data": [s.entered for s in stats]}],
    }
    return table, chart


def department_table(
    departments: list[DepartmentRow], overdue: dict[int, int]
) -> tuple[Table, dict]:
    counts = [overdue.get(d.id, 0) for d in departments]
    table = Table(
        "departments",
        str(TABLES["departments"]),
        [_("부서"), _("단계 기한 경과")],
        [[department_name(d), n] for d, n in zip(departments, counts, strict=True)],
    )
    late = [(d, n) for d, n in zip(departments, counts, strict=True) if n]
    if late:
        worst, most = max(late, key=lambda pair: pair[1])
        table.summary = _(
            "%(n)d개 부서에 기한이 지난 민원이 있습니다. "
            "가장 많은 부서는 %(name)s(%(count)s건)입니다."
        ) % {"n": len(late), "name": department_name(worst), "count": number(most)}
    else:
        table.summary = _("지금 단계 기한이 지난 민원이 없습니다.")
    chart = {
        "labels": [department_name(d) for d in departments],
        "series": [{"label": _("단계 기한 경과"), "data": counts}],
    }
    return table, chart


def _admin(complaint_id: int) -> str:
    return reverse("admin:complaints_complaint_change", args=[complaint_id])


def overdue_table(items, now: datetime) -> Table:
    table = Table(
        "overdue",
        str(TABLES["overdue"]),
        [
            _("접수번호"),
            _("민원인"),
            _("민원 종류"),
            _("부서"),
            _("담당자"),
            _("단계"),
            _("단계 기한"),
            _("경과 시간"),
        ],
        personal=True,
    )
    for c in items:
        hours = (now - c.stage_due_at).total_seconds() / 3600 if c.stage_due_at else None
        table.rows.append(
            [
                c.receipt_number,
                c.masked_name,
                c.complaint_type.display_name,
                c.department.name,
                c.owner.name if c.owner else "—",
                str(Stage(c.stage).label),
                local(c.stage_due_at),
                _("%(h)s시간") % {"h": number(round(hours, 1))} if hours is not None else "—",
            ]
        )
        table.links.append(_admin(c.pk))
        table.complaint_ids.append(c.pk)
    return table


def m1_table(items) -> Table:
    table = Table(
        "m1",
        str(TABLES["m1"]),
        [
            _("접수번호"),
            _("민원인"),
            _("접수 경로"),
            _("부서"),
            _("접수 시각"),
            _("담당자 통보 시각"),
            _("통보 지연(분)"),
        ],
        personal=True,
    )
    for c in items:
        table.rows.append(
            [
                c.receipt_number,
                c.masked_name,
                str(Channel(c.channel).label),
                c.department.name,
                local(c.received_at),
                local(c.owner_notified_at) if c.owner_notified_at else _("아직 통보 안 됨"),
                c.notice_delay_minutes if c.notice_delay_minutes is not None else "—",
            ]
        )
        table.links.append(_admin(c.pk))
        table.complaint_ids.append(c.pk)
    return table


def promises_table(s: Summary, expected_sweeps: int) -> Table:
    """The standard's own promises: M1 M2 P3 V5 O4 S1 K2, one line each. A rate whose
    denominator is empty says "no data yet" rather than 0.0 %."""
    c, board, memos, consults = s.complaints, s.board, s.memos, s.consultations
    rows = [
        [
            "M1",
            _("우편·FAX 접수 1시간 안에 담당자 통보"),
            measured(rate(c.m1_on_time, c.m1_paper)),
            _("%(paper)s건 중 %(ok)s건 통보, 지연 %(late)s건")
            % {
                "paper": number(c.m1_paper),
                "ok": number(c.m1_on_time),
                "late": number(c.m1_breaches),
            },
        ],
        [
            "M2",
            _("게시판 하루 두 번 확인"),
            measured(rate(min(board.sweeps_on_time, expected_sweeps), expected_sweeps)),
            _("예정 %(exp)s회 중 정시 확인 %(ok)s회(전체 실행 %(all)s회)")
            % {
                "exp": number(expected_sweeps),
                "ok": number(board.sweeps_on_time),
                "all": number(board.sweeps),
            },
        ],
        [
            "M2",
            _("게시판 글 답변"),
            measured(rate(board.answered, board.routed)),
            _(
                "글 %(posts)s건 중 담당자 배정 %(routed)s건, 답변 %(answered)s건, "
                "지금 답변 대기 %(waiting)s건"
            )
            % {
                "posts": number(board.posts),
                "routed": number(board.routed),
                "answered": number(board.answered),
                "waiting": number(board.unanswered),
            },
        ],
        [
            "P3",
            _("전화 메모 회신(1근무일 안)"),
            measured(rate(memos.on_time, memos.settled)),
            _("회신 필요 %(n)s건 중 기한 내 회신 %(ok)s건, 지금 기한 경과 %(late)s건")
            % {
                "n": number(memos.taken),
                "ok": number(memos.on_time),
                "late": number(memos.overdue),
            },
        ],
        [
            "V5",
            _("사전상담 회신(1근무일 안)"),
            measured(rate(consults.on_time, consults.settled)),
            _("신청 %(n)s건 중 기한 내 회신 %(ok)s건, 지금 기한 경과 %(late)s건")
            % {
                "n": number(consults.taken),
                "ok": number(consults.on_time),
                "late": number(consults.overdue),
            },
        ],
    ]
    if s.sms is not None:
        sms = s.sms
        rows.append(
            [
                "O4",
                _("문자 알림 전달"),
                # Only the provider's reports measure delivery; none yet: no data.
                measured(rate(sms.delivered, sms.total) if sms.outcomes else None),
                _("%(n)s건 중 전달 %(d)s건, 발송 %(s)s건, 실패 %(f)s건, 대기 %(w)s건")
                % {
                    "n": number(sms.total),
                    "d": number(sms.delivered),
                    "s": number(sms.sent),
                    "f": number(sms.failed),
                    "w": number(sms.waiting),
                },
            ]
        )
    else:
        rows.append(
            [
                "O4",
                _("문자 알림 전달"),
                "—",
                _("문자 발송 기록은 부서별로 나뉘지 않아 군 전체에서만 봅니다."),
            ]
        )
    survey, praise = s.survey, s.commendations
    rows += [
        [
            "S1",
            _("만족도 평균(5점 만점)"),
            _("아직 자료 없음") if survey.average is None else f"{survey.average:.2f}",
            _("응답 %(r)s건, 문항 응답 %(a)s개; 후속 조치 진행 %(o)s건(기한 경과 %(l)s건)")
            % {
                "r": number(survey.responses),
                "a": number(survey.answers),
                "o": number(survey.open),
                "l": number(survey.open_late),
            },
        ],
        [
            "K2",
            _("칭찬 추천"),
            number(praise.approved),
            _("기간 중 추천 %(n)s건, 승인 %(a)s건, 지금 검토 대기 %(p)s건")
            % {
                "n": number(praise.received),
                "a": number(praise.approved),
                "p": number(praise.pending),
            },
        ],
    ]
    return Table(
        "promises",
        str(TABLES["promises"]),
        [_("기준"), _("약속"), _("이행률·값"), _("내용")],
        rows,
    )


def payout_table(cells: dict[tuple[str, str], PayoutCell]) -> Table:
    states = [PayoutState(state) for state in selectors.PAYOUT_STATES]
    columns = [_("보상기준")]
    for state in states:
        columns += [
            _("%(state)s 건수") % {"state": state.label},
            _("%(state)s 금액(원)") % {"state": state.label},
        ]
    table = Table("payouts", str(TABLES["payouts"]), columns)
    total_n = total_krw = 0
    for code in RuleCode:
        row: list = [str(code.label)]
        for state in states:
            cell = cells.get((code.value, state.value), PayoutCell())
            row += [cell.n, cell.krw]
            if state in (PayoutState.APPROVED, PayoutState.PAID):
                total_n += cell.n
                total_krw += cell.krw
        table.rows.append(row)
    table.summary = _("승인·지급 %(n)s건, %(krw)s원") % {
        "n": number(total_n),
        "krw": number(total_krw),
    }
    return table
