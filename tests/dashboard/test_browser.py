"""The dashboard in Chromium: charts drawn over their tables, axe clean in ko and en."""

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


def log_in(page, live_server, user):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")


def test_O2_C2_dashboard_draws_charts_and_is_accessible_in_korean_and_english(
    page, live_server, manager, some_filings
):
    log_in(page, live_server, manager)
    page.goto(live_server.url + "/dashboard/")
    assert page.locator("h1").inner_text() == "민원 처리 현황판"
    page.wait_for_selector("canvas[data-drawn=true]")
    drawn = page.locator("canvas[data-drawn=true]").count()
    assert drawn >= 3
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
    assert page.locator("table caption").count() >= 8
    assert_accessible(page)

    switch_language(page, live_server.url, "en")
    page.goto(live_server.url + "/dashboard/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.wait_for_selector("canvas[data-drawn=true]")
    assert_accessible(page)
