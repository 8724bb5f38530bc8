"""A clerk works the queue in a real browser (C2): log in, assign to me, advance."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from complaints.models import Stage
from tests.complaints.factories import file_one
from tests.factories import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_action(page, receipt_number, label):
    row = page.locator("#result_list tbody tr", has_text=receipt_number)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", label=label)
    page.click("button[name=index]")


def test_C2_clerk_assigns_and_advances_in_the_admin(page, live_server, road_type, roads_clerk):
    complaint = file_one(road_type, now=timezone.now(), arrived_at=timezone.now())
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", roads_clerk.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:complaints_complaint_changelist"))
    assert page.locator("#result_list").inner_text().count(complaint.receipt_number) == 1
    assert "홍*동" in page.locator("#result_list").inner_text()

    run_action(page, complaint.receipt_number, "나에게 배정")
    assert page.locator(".messagelist").inner_text().count("배정했습니다") == 1
    complaint.refresh_from_db()
    assert complaint.stage == Stage.ASSIGNED

    run_action(page, complaint.receipt_number, "다음 단계로")
    complaint.refresh_from_db()
    assert complaint.stage == Stage.INVESTIGATING
    assert "사실 확인·조사" in page.locator("#result_list").inner_text()

    page.click(f"text={complaint.receipt_number}")
    page.wait_for_url(f"**/{complaint.pk}/change/")
    expect(page.locator("body")).to_contain_text("처리 이력")


def test_H1_intake_page_is_accessible(page, live_server, roads_clerk, road_type):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", roads_clerk.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("complaints_staff:intake"))
    assert page.locator("h1").inner_text().startswith("민원 접수")
    assert_accessible(page)
