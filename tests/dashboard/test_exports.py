"""CSV and Excel exports: Korean headers, masked names, an access-log row per filing."""

import csv
import io

import pytest
from openpyxl import load_workbook

from complaints.models import AccessAction, AccessLog
from dashboard import report
from tests.dashboard.conftest import MARCH

pytestmark = pytest.mark.django_db


def test_C2_overdue_csv_has_bom_korean_headers_masked_names_and_logs_access(
    county, frozen, manager, client_for
):
    response = client_for(manager).get("/dashboard/export/overdue.csv" + MARCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "dashboard-overdue-20260301-20260331.csv" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["접수번호", "민원인", "민원 종류"]
    assert {row[1] for row in rows[1:]} == {"최*경", "남**수", "장*고"}
    assert "최환경" not in body.decode("utf-8-sig")
    logged = AccessLog.objects.filter(user=manager, action=AccessAction.EXPORT)
    assert logged.count() == 3


def test_M1_breaches_xlsx_opens_with_korean_headers(county, frozen, manager, client_for):
    response = client_for(manager).get("/dashboard/export/m1.xlsx" + MARCH)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == str(report.TABLES["m1"])
    assert values[3][:2] == ["접수번호", "민원인"]
    assert values[4][1] == "장*고"
    assert AccessLog.objects.filter(user=manager, complaint=county["letter_late"]).exists()


@pytest.mark.parametrize(
    "table", ["headline", "weekly", "trend", "stages", "departments", "promises", "payouts"]
)
def test_O2_every_table_exports_in_both_formats(county, frozen, manager, client_for, table):
    client = client_for(manager)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/dashboard/export/{table}.{fmt}{MARCH}")
        assert response.status_code == 200, (table, fmt)
    # Figures without personal data write no access-log row.
    assert not AccessLog.objects.filter(user=manager).exists()


def test_O2_headline_csv_shows_the_on_time_rate(county, frozen, manager, client_for):
    body = client_for(manager).get("/dashboard/export/headline.csv" + MARCH).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[4][:2] == ["법정처리기한 내 처리율", "75.0%"]


def test_bad_export_filter_is_a_korean_400(manager, client_for):
    response = client_for(manager).get(
        "/dashboard/export/headline.csv?period=custom&start=2026-03-31&end=2026-03-01"
    )
    assert response.status_code == 400
    assert "시작일이 종료일보다 늦습니다" in response.content.decode()
