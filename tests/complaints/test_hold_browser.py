"""보완 online in Chromium (L2): the citizen reads the request on the tracking page, answers
it with a file, sees the new due date; the clerk sees the answer in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Stage
from tests.complaints import files
from tests.complaints.factories import file_one
from tests.factories import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_L2_citizen_answers_a_hold_with_a_file_and_the_clerk_sees_it(
    page, live_server, road_type, roads_clerk, tmp_path
):
    now = timezone.now()
    complaint = file_one(road_type, now=now, arrived_at=now)
    complaint = services.assign(complaint, roads_clerk.staff_member, by=roads_clerk, now=now)
    complaint = services.put_on_hold(
        complaint,
        reason="투기 장소 사진을 보내 주세요",
        answer_by=now + timedelta(days=7),
        by=roads_clerk,
        now=now,
    )
    paused_due = complaint.due_at

    # The citizen starts at the home page and finds the filing by number and phone.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="처리 상황").first.click()
    page.locator("#id_receipt_number").fill(complaint.receipt_number)
    page.locator("#id_phone").fill("010-1234-5678")
    page.locator("form.citizen-form button[type=submit]").click()
    page.wait_for_url("**/complaints/track/*/")
    request = page.locator(".hold-request").inner_text()
    assert "투기 장소 사진을 보내 주세요" in request and "멈춥니다" in request
    assert_accessible(page)

    photo = tmp_path / "site.jpg"
    photo.write_bytes(files.JPG)
    page.locator("#id_note").fill("사진 보냅니다")
    page.locator("#id_files").set_input_files(str(photo))
    page.get_by_role("button", name="보내기").click()
    page.wait_for_url("**/complaints/track/*/")
    assert "보완 서류를 보냈습니다" in page.locator("body").inner_text()
    complaint.refresh_from_db()
    assert complaint.stage == Stage.ASSIGNED and complaint.due_at > paused_due
    shown = page.locator("time.due-at").get_attribute("datetime")
    assert shown == timezone.localtime(complaint.due_at).isoformat()

    # The clerk opens the filing in the admin: the answer and its file are there.
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", roads_clerk.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    body = page.locator("body").inner_text()
    assert "사진 보냅니다" in body and "site.jpg" in body and "보완 서류" in body
