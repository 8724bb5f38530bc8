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
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard import exports, report, selectors
from dashboard.forms import FilterForm
from dashboard.periods import DEFAULT_PERIOD, Period, period_for
from dashboard.selectors import Scope
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
    form: FilterForm
    departments: list[dict] | None


def read_filter(request: HttpRequest, viewer: Viewer) -> Filter:
    """The period and department asked for; bad input becomes Korean messages and the
    defaults, never an error page."""
    now = timezone.now()
    if viewer.all_departments:
        departments = selectors.departments_with_overdue(now)
        choices = [(d["id"], report.department_name(d)) for d in departments]
        form = FilterForm(request.GET, departments=choices, all_label=_("전체 부서"))
    else:
        departments = None
        name = viewer.department_name_en if _is_en() and viewer.department_name_en else None
        choices = [(viewer.department_id, name or viewer.department_name)]
        form = FilterForm(request.GET, departments=choices)
    errors: list[str] = []
    valid = form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    if not valid:
        for field, messages in form.errors.items():
            if field == "department" and not viewer.all_departments:
                messages = [_("다른 부서의 현황은 볼 수 없습니다. 소속 부서만 보여 드립니다.")]
            errors.extend(str(m) for m in messages)
    kind = data.get("period") or DEFAULT_PERIOD
    if {"period", "start", "end", "__all__"} & set(form.errors):
        period: Period = period_for(DEFAULT_PERIOD, now)
    else:
        period = period_for(kind, now, data.get("start"), data.get("end"))
    department_id = viewer.department_id
    if viewer.all_departments and data.get("department"):
        department_id = int(data["department"])
    page = data.get("page") or 1
    return Filter(Scope(period, department_id, now), page, errors, form, departments)


def _is_en() -> bool:
    from django.utils.translation import get_language

    return get_language() == "en"


@managers_only
def dashboard(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    f = read_filter(request, viewer)
    scope = f.scope
    figures = selectors.period_figures(scope)
    summary = figures.summary
    head = report.headline(summary)
    age = report.age_note(figures.computed_at, scope.now)
    pages = max(1, math.ceil(head["overdue"] / selectors.PAGE_SIZE))
    page = f.page
    if page > pages:
        f.errors.append(
            _("기한 경과 목록은 %(pages)d쪽까지 있습니다. 첫 쪽을 보여 드립니다.")
            % {"pages": pages}
        )
        page = 1
    weekly, trend, weekly_chart, trend_chart = report.weekly_tables(figures.weekly)
    stages, funnel_chart = report.stage_table(figures.stages)
    for table in (weekly, trend, stages):
        table.note = age
    if f.departments is not None:
        departments = f.departments
        if scope.department_id is not None:
            departments = [d for d in departments if d["id"] == scope.department_id]
    else:
        departments = [
            {
                "id": viewer.department_id,
                "name": viewer.department_name,
                "name_en": viewer.department_name_en,
                "overdue": head["overdue"],
            }
        ]
    dept_table, dept_chart = report.department_table(departments)
    overdue = report.overdue_table(selectors.overdue_items(scope, page), scope.now)
    m1 = report.m1_table(selectors.m1_breach_items(scope))
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
        "headline_table": report.headline_table(head),
        "charts": [
            {"id": name, "table": table, "kind": kind, "data": data}
            for name, table, kind, data in charts
        ],
        "chart_data": {name: {"kind": kind, **data} for name, _t, kind, data in charts},
        "overdue": overdue,
        "overdue_page": page,
        "overdue_pages": pages,
        "m1": m1,
        "promises": report.promises_table(
            summary, selectors.expected_sweeps(scope), scope.department_id is None
        ),
        "payouts": report.payout_table(summary),
        "export_query": _export_query(request),
        "department_label": _department_label(scope, departments, viewer),
        "figures_age": age,
    }
    return render(request, "dashboard/dashboard.html", context)


def _department_label(scope: Scope, departments: list[dict], viewer: Viewer) -> str:
    if scope.department_id is None:
        return _("전체 부서")
    for d in departments:
        if d["id"] == scope.department_id:
            return report.department_name(d)
    return viewer.department_name


def _export_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


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
    built = exports.build_table(table, f.scope, f.departments, viewer)
    return exports.respond(request, built, fmt, f.scope)
