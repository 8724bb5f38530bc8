"""The dashboard in Chromium, in Korean and English: charts drawn over their tables with
whole-number and percent axes, the period menu showing the period shown, "no data yet"
where nothing was measured, axe clean on the figures and the work lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services
from tests.complaints.factories import ComplaintTypeFactory, intake_for
from tests.factories import TEST_PASSWORD, StaffMemberFactory
from tests.fixtures.browser import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def some_filings(roads, lead_department):
    ctype = ComplaintTypeFactory(
        code="b-road",
        name="도로 파손 신고",
        period_days=7,
        handling_department=roads,
        lead_department=lead_department,
    )
    owner = StaffMemberFactory(department=roads, name="정담당", email="o@yeoncheon.go.kr")
    now = timezone.now()
    start = now - timedelta(days=3)
    for name in ("홍길동", "김철수", "이영희"):
        complaint = services.file_complaint(
            intake_for(ctype, name=name, arrived_at=start), now=start
        )
        services.assign(complaint, owner, by=None, now=start + timedelta(hours=1))


def log_in(page, user):
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")


def tick_labels(page, chart_id: str, axis: str) -> list[str]:
    return page.evaluate(
        """([id, axis]) => Chart.getChart(document.getElementById(id))
               .scales[axis].ticks.map(t => String(t.label))""",
        [chart_id, axis],
    )


LANGUAGES = {
    "ko": {
        "title": "민원 처리 현황판",
        "month": "이번 달",
        "no_data": "아직 자료 없음",
        "same_rate": "끝난 단계의 기한 내 비율은 모두 100.0%입니다.",
        "lowest": "가장 낮은 단계",
        "lists": "처리할 민원 목록",
    },
    "en": {
        "title": "Complaint handling dashboard",
        "month": "This month",
        "no_data": "No data yet",
        "same_rate": "Every finished stage was on time in 100.0% of cases.",
        "lowest": "lowest",
        "lists": "Filings to work on",
    },
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_O2_C2_M2_O4_dashboard_shows_what_it_measured_and_is_accessible(
    page, live_server, manager, some_filings, language
):
    words = LANGUAGES[language]
    switch_language(page, live_server.url, language)
    # A manager opens the dashboard's address and is asked to sign in first.
    page.goto(live_server.url + "/dashboard/")
    assert "/admin/login/" in page.url
    log_in(page, manager)
    assert page.locator("h1").inner_text() == words["title"]
    assert page.locator("html").get_attribute("lang") == language
    page.wait_for_selector("canvas[data-drawn=true]")
    assert page.locator("canvas[data-drawn=true]").count() >= 3
    # A drawn canvas has coloured pixels.
    painted = page.evaluate(
        """() => {
            const c = document.querySelector('#chart-weekly');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; }
            return false;
        }"""
    )
    assert painted
    assert page.locator("table caption").count() >= 7

    # The period menu shows the period the figures cover (this month), and pressing
    # the button keeps it.
    period = page.locator("#id_period")
    shown = page.locator("p.lead").inner_text()
    assert period.input_value() == "month"
    assert period.locator("option:checked").inner_text() == words["month"]
    page.locator(".dashboard-filter button[type=submit]").click()
    page.wait_for_selector("canvas[data-drawn=true]")
    assert page.locator("#id_period").input_value() == "month"
    assert page.locator("p.lead").inner_text() == shown

    # Counts are drawn on whole-number axes; the on-time trend in whole percent.
    departments = tick_labels(page, "chart-departments", "x")
    assert departments and all(label.isdigit() for label in departments), departments
    stages = tick_labels(page, "chart-stages", "y")
    assert stages and all(label.isdigit() for label in stages), stages
    trend = tick_labels(page, "chart-trend", "y")
    assert trend and all(label.endswith("%") for label in trend), trend

    # Nothing measured (no sweep has ever run, no post routed, no SMS delivery report):
    # "no data yet", never 0.0 %.
    promises = page.locator("#table-promises tbody tr")
    for code, index in (("M2", 1), ("M2", 2), ("O4", 5)):
        row = promises.nth(index)
        assert row.locator("th").inner_text() == code
        assert row.locator("td").nth(1).inner_text() == words["no_data"]
    assert "0.0%" not in page.locator("#table-promises").inner_text()

    # Every stage that ended did so on time: no stage is called the lowest.
    summary = page.locator("#chart-stages-summary").inner_text()
    assert summary.startswith(words["same_rate"])
    assert words["lowest"] not in summary
    assert_accessible(page)

    # The work lists are one link away, with the same period.
    page.get_by_role("link", name=words["lists"]).click()
    assert page.locator("h1").inner_text() == words["lists"]
    assert page.locator("#table-overdue tbody tr").count() >= 1
    assert page.locator("#id_period").input_value() == "month"
    assert_accessible(page)
