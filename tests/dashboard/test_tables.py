"""The dashboard's table rows, written by `report.Table.rows_html` (not a template loop)."""

from dashboard.report import Table


def test_rows_escape_every_value_and_link_the_work_list_to_the_admin():
    table = Table(
        name="overdue",
        caption="기한 경과",
        columns=["접수번호", "민원인", "제목"],
        rows=[["2026-000001", "홍*동", "<script>alert(1)</script>"], ["2026-000002", "김*수", "—"]],
        links=["/admin/complaints/complaint/1/change/", None],
    )
    html = table.rows_html()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert (
        '<tr><th scope="row"><a href="/admin/complaints/complaint/1/change/">2026-000001</a>'
        "</th><td>홍*동</td>" in html
    )
    assert '<tr><th scope="row">2026-000002</th><td>김*수</td><td>—</td></tr>' in html


def test_an_empty_table_says_so_across_all_its_columns():
    html = Table(name="m1", caption="M1", columns=["a", "b", "c"]).rows_html()
    assert html == '<tr><td colspan="3">해당하는 항목이 없습니다.</td></tr>'
