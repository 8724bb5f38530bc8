"""CSV (UTF-8 with BOM, so Excel opens Korean) and Excel exports of the dashboard's
tables, with Korean column names and names masked. An export of a work list writes one
personal-data access-log row per filing it lists (개인정보 접속기록)."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from complaints.access_log import record_access
from complaints.models import AccessAction
from dashboard import report, selectors
from dashboard.selectors import Scope

EXPORT_LIMIT = 5000


def build_table(name: str, scope: Scope) -> report.Table:
    """Only the queries the one table needs."""
    if name == "headline":
        return report.headline_table(selectors.period_figures(scope).summary.complaints)
    if name in ("weekly", "trend"):
        weekly, trend, _w, _t = report.weekly_tables(selectors.period_figures(scope).weekly)
        return weekly if name == "weekly" else trend
    if name == "stages":
        return report.stage_table(selectors.period_figures(scope).stages)[0]
    if name == "departments":
        shown = selectors.departments(scope.department_id)
        return report.department_table(shown, selectors.period_figures(scope).overdue)[0]
    if name == "overdue":
        items: list = []
        page = 1
        while len(items) < EXPORT_LIMIT:
            batch = selectors.overdue_items(scope, page)
            items += batch
            if len(batch) < selectors.PAGE_SIZE:
                break
            page += 1
        return report.overdue_table(items, scope.now)
    if name == "m1":
        return report.m1_table(selectors.m1_breach_items(scope, limit=EXPORT_LIMIT))
    figures = selectors.period_figures(scope)
    if name == "promises":
        return report.promises_table(
            figures.summary,
            selectors.expected_sweeps(scope, figures.summary.board.first_sweep_at),
        )
    return report.payout_table(figures.payouts)


def _filename(table: report.Table, scope: Scope, fmt: str) -> str:
    period = scope.period
    return f"dashboard-{table.name}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.{fmt}"


def _log_access(request: HttpRequest, table: report.Table) -> None:
    if not table.personal or not table.complaint_ids:
        return
    record_access(request, table.complaint_ids, AccessAction.EXPORT)


def to_csv(table: report.Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: report.Table, scope: Scope) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    sheet.append([table.caption])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("기간"), f"{scope.period.first:%Y-%m-%d} ~ {scope.period.last:%Y-%m-%d}"])
    sheet.append([])
    sheet.append(table.columns)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def respond(request: HttpRequest, table: report.Table, fmt: str, scope: Scope) -> HttpResponse:
    _log_access(request, table)
    if fmt == "csv":
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(table, scope),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, scope, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
