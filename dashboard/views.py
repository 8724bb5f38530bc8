"""The managers' SLA dashboard and its exports (read-only).

Who may look: managers and superusers see every department; a department head
(`StaffMember.is_head`) sees their own department only; anyone else gets 403 and the
anonymous go to the login page. Roles are checked directly (`is_manager`); no extra
permission is needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard import exports, report, selectors
from dashboard.forms import FilterForm
from dashboard.periods import DEFAULT_PERIOD, Period, period_for
from dashboard.selectors import DepartmentRow, Scope
from staff_directory.models import StaffMember
from staff_directory.roles import is_manager


@dataclass(frozen=True)
class Viewer:
    """What the user may see: every department, or one."""

    all_departments: bool
    department_id: int | None = None
    department_name: str = ""
    department_name_en: str = ""


def viewer_for(user) -> Viewer | None:
    if not (user.is_active and user.is_staff):
        return None
    if user.is_superuser or is_manager(user):
        return Viewer(all_departments=True)
    member = (
        StaffMember.objects.filter(user=user, is_active=True, is_head=True)
        .select_related("department")
        .only("department__id", "department__name", "department__name_en")
        .first()
    )
    if member is None:
        return None
    dept = member.department
    return Viewer(False, dept.pk, dept.name, dept.name_en)


def managers_only(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        viewer = viewer_for(request.user)
        if viewer is None:
            raise PermissionDenied
        return view(request, viewer, *args, **kwargs)

    return wrapped


@dataclass
class Filter:
    scope: Scope
    page: int
    errors: list[str]
    # The form as the page shows it: the period, dates and department actually shown.
    form: FilterForm
    departments: list[DepartmentRow] | None


def read_filter(request: HttpRequest, viewer: Viewer) -> Filter:
    """The period and department asked for; bad input becomes Korean messages and the
    defaults, never an error page. The form returned shows what the page then shows, so
    pressing 보기 again never switches to something else."""
    now = timezone.now()
    if viewer.all_departments:
        departments: list[DepartmentRow] | None = selectors.departments()
        choices = [(d.id, report.department_name(d)) for d in departments or []]
        extra = {"departments": choices, "all_label": _("전체 부서")}
    else:
        departments = None
        own = DepartmentRow(
            viewer.department_id or 0, viewer.department_name, viewer.department_name_en
        )
        extra = {"departments": [(own.id, report.department_name(own))]}
    form = FilterForm(request.GET, **extra)
    errors: list[str] = []
    valid = form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    if not valid:
        for field, messages in form.errors.items():
            if field == "department" and not viewer.all_departments:
                errors.append(_("다른 부서의 현황은 볼 수 없습니다. 소속 부서만 보여 드립니다."))
            else:
                errors.extend(str(m) for m in messages)
    if {"period", "start", "end", "__all__"} & set(form.errors):
        period: Period = period_for(DEFAULT_PERIOD, now)
    else:
        period = period_for(
            data.get("period") or DEFAULT_PERIOD, now, data.get("start"), data.get("end")
        )
    department_id = viewer.department_id
    if viewer.all_departments and data.get("department"):
        department_id = int(data["department"])
    page = data.get("page") or 1
    custom = period.kind == "custom"
    shown = FilterForm(
        initial={
            "period": period.kind,
            "start": period.first if custom else None,
            "end": period.last if custom else None,
            "department": str(department_id or ""),
        },
        **extra,
    )
    return Filter(Scope(period, department_id, now), page, errors, shown, departments)


def _shown_departments(f: Filter, viewer: Viewer) -> list[DepartmentRow]:
    if f.departments is None:
        return [
            DepartmentRow(
                viewer.department_id or 0, viewer.department_name, viewer.department_name_en
            )
        ]
    if f.scope.department_id is None:
        return f.departments
    return [d for d in f.departments if d.id == f.scope.department_id]


@managers_only
def dashboard(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The period's figures, tables and charts: aggregates only, no person's row (the
    work lists are on their own page)."""
    f = read_filter(request, viewer)
    scope = f.scope
    figures = selectors.period_figures(scope)
    summary = figures.summary
    head = summary.complaints
    age = report.age_note(figures.computed_at, scope.now)
    weekly, trend, weekly_chart, trend_chart = report.weekly_tables(figures.weekly)
    stages, funnel_chart = report.stage_table(figures.stages)
    for table in (weekly, trend, stages):
        table.note = age
    departments = _shown_departments(f, viewer)
    dept_table, dept_chart = report.department_table(departments, figures.overdue)
    headline_table = report.headline_table(head)
    promises = report.promises_table(
        summary, selectors.expected_sweeps(scope, summary.board.first_sweep_at)
    )
    payouts = report.payout_table(figures.payouts)
    _with_export_links(
        request, headline_table, weekly, trend, stages, dept_table, promises, payouts
    )
    charts = [
        ("weekly", weekly, "bar-stacked", weekly_chart),
        ("trend", trend, "line-percent", trend_chart),
        ("stages", stages, "bar", funnel_chart),
        ("departments", dept_table, "bar-horizontal", dept_chart),
    ]
    context = {
        "scope": scope,
        "viewer": viewer,
        "form": f.form,
        "filter_errors": f.errors,
        "headline": head,
        "headline_table": headline_table,
        "charts": [
            {"id": name, "table": table, "kind": kind, "data": data}
            for name, table, kind, data in charts
        ],
        "chart_data": {name: {"kind": kind, **data} for name, _t, kind, data in charts},
        "m1_breaches": summary.complaints.m1_breaches,
        "promises": promises,
        "payouts": payouts,
        "export_query": _export_query(request),
        "department_label": _department_label(scope, departments, viewer),
        "figures_age": age,
    }
    return render(request, "dashboard/dashboard.html", context)


@managers_only
def worklists(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The filings behind the figures, live: overdue now (paged) and the period's late
    paper notices (M1), names masked, each linked to the admin."""
    f = read_filter(request, viewer)
    scope = f.scope
    overdue_count = sum(selectors.overdue_by_department(scope).values())
    pages = max(1, math.ceil(overdue_count / selectors.PAGE_SIZE))
    page = f.page
    if page > pages:
        f.errors.append(
            _("기한 경과 목록은 %(pages)d쪽까지 있습니다. 첫 쪽을 보여 드립니다.")
            % {"pages": pages}
        )
        page = 1
    departments = _shown_departments(f, viewer)
    overdue = report.overdue_table(selectors.overdue_items(scope, page), scope.now)
    m1 = report.m1_table(selectors.m1_breach_items(scope))
    _with_export_links(request, overdue, m1)
    context = {
        "scope": scope,
        "form": f.form,
        "filter_errors": f.errors,
        "overdue_count": overdue_count,
        "overdue": overdue,
        "overdue_page": page,
        "overdue_pages": pages,
        "m1": m1,
        "export_query": _export_query(request),
        "department_label": _department_label(scope, departments, viewer),
    }
    response = render(request, "dashboard/worklists.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _department_label(scope: Scope, departments: list[DepartmentRow], viewer: Viewer) -> str:
    if scope.department_id is None:
        return _("전체 부서")
    for d in departments:
        if d.id == scope.department_id:
            return report.department_name(d)
    return viewer.department_name


# The exports' address below the dashboard's (urls.py): pages write their links as this
# prefix plus "<table>.<fmt>", one reverse() a page instead of one for each link.
EXPORT_PREFIX = "export/"


def _export_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _with_export_links(request: HttpRequest, *tables: report.Table) -> None:
    prefix = reverse("dashboard:index") + EXPORT_PREFIX
    query = _export_query(request)
    for table in tables:
        table.export_prefix, table.export_query = prefix, query


@managers_only
def export(request: HttpRequest, viewer: Viewer, table: str, fmt: str) -> HttpResponse:
    if table not in report.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    f = read_filter(request, viewer)
    if f.errors:
        # An export states exactly what it covers: refuse rather than guess.
        return render(
            request,
            "dashboard/export_refused.html",
            {"errors": f.errors, "form": f.form},
            status=400,
        )
    built = exports.build_table(table, f.scope)
    return exports.respond(request, built, fmt, f.scope)
