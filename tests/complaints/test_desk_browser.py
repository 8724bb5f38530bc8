"""The clerk's desk in Chromium (C2 L1 L2 L3): from the admin home, typing only texts, a
web filing goes from receipt to closed in a few counted clicks; 보완 and resume, an
extension and a transfer are done from the same page; axe finds nothing, in ko and en."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.models import Complaint, Stage
from tests.complaints.factories import file_one
from tests.factories import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Clicks:
    """Every click of one person goes through here, so the test can count them."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def sign_in(page, url, user, click):
    page.goto(url + "/admin/")  # the one address typed: where the working day starts
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    click(page.locator("input[type=submit]"))
    expect(page.locator("#site-name")).to_contain_text("연천군 민원 포털 관리")


def desk_button(page, name):
    return page.locator(".desk-actions").get_by_role("button", name=name, exact=True)


def open_form(page, click, summary):
    click(page.locator(".desk-actions summary", has_text=summary))


def test_C2_receipt_to_closed_from_the_desk_in_few_clicks(
    page, chromium, live_server, road_type, roads_clerk, verifier
):
    now = timezone.now()
    c = file_one(road_type, now=now, arrived_at=now - timedelta(minutes=5))
    clerk = Clicks(page)
    sign_in(page, live_server.url, roads_clerk, clerk)
    clerk(page.get_by_role("link", name=f"{c.receipt_number} {c.title}"))
    clerk(desk_button(page, "나에게 배정"))
    expect(page.locator(".messagelist")).to_contain_text("나에게 배정했습니다")
    clerk(desk_button(page, "조사 시작"))
    clerk(desk_button(page, "조사결과 확인 요청"))
    expect(page.locator(".desk")).to_contain_text("조사결과 확인")

    context = new_context(chromium)
    other = context.new_page()
    verifying = Clicks(other)
    sign_in(other, live_server.url, verifier, verifying)
    verifying(other.get_by_role("link", name=f"{c.receipt_number} {c.title}"))
    verifying(desk_button(other, "조사결과 확인 완료(시정·개선 조치로)"))
    expect(other.locator(".messagelist")).to_contain_text("다음 단계로 옮겼습니다")
    context.close()

    page.reload()
    open_form(page, clerk, "결과 통보(종결)")
    page.get_by_label("처리 결과").fill("포트홀을 메웠습니다.")
    clerk(page.get_by_role("button", name="기한 확인하기"))
    expect(page.locator("#desk-close")).to_contain_text("확인을 누르면 바로 처리되고")
    assert page.get_by_label("처리 결과").input_value() == "포트홀을 메웠습니다."
    clerk(page.get_by_role("button", name="확인: 결과 통보(종결)"))
    expect(page.locator(".messagelist")).to_contain_text("결과를 통보하고 종결했습니다")

    c.refresh_from_db()
    assert c.stage == Stage.NOTIFIED and c.result_text == "포트홀을 메웠습니다."
    history = page.locator(".desk-history").inner_text()
    assert "김도로" in history and "최확인" in history and "roads_clerk" not in history
    assert clerk.count <= 10, clerk.count
    assert verifying.count <= 3, verifying.count


def test_L1_L2_L3_hold_resume_extend_and_transfer_from_the_same_page(
    page, live_server, road_type, roads_clerk, environment
):
    now = timezone.now()
    c = file_one(road_type, now=now, arrived_at=now - timedelta(minutes=5))
    click = Clicks(page)
    sign_in(page, live_server.url, roads_clerk, click)
    assert_accessible(page)
    click(page.get_by_role("link", name=f"{c.receipt_number} {c.title}"))
    click(desk_button(page, "나에게 배정"))
    assert_accessible(page)

    # 보완: the clock stops, then resumes.
    open_form(page, click, "보완 요청(기한 멈춤)")
    page.get_by_label("보완할 내용").fill("현장 사진을 보내 주세요")
    answer_by = (timezone.localdate(now) + timedelta(days=7)).isoformat()
    page.get_by_label("보완 기한").fill(answer_by)
    click(page.get_by_role("button", name="기한 확인하기"))
    expect(page.locator("#desk-hold")).to_contain_text("보완 기간 동안 멈춤")
    click(page.get_by_role("button", name="확인: 보완 요청(기한 멈춤)"))
    expect(page.locator(".messagelist")).to_contain_text("처리기간이 멈췄습니다")
    assert Complaint.objects.get(pk=c.pk).stage == Stage.ON_HOLD
    click(desk_button(page, "처리 재개"))
    expect(page.locator(".messagelist")).to_contain_text("처리를 재개했습니다")
    assert Complaint.objects.get(pk=c.pk).stage == Stage.ASSIGNED

    # A refused extension keeps what was typed and says why on the field.
    before = Complaint.objects.get(pk=c.pk).due_at
    open_form(page, click, "처리기간 연장")
    page.get_by_label("연장할 기간(근무일)").fill(str(road_type.period_days + 1))
    page.get_by_label("연장 사유").fill("현장 조사가 더 필요합니다")
    click(page.get_by_role("button", name="기한 확인하기"))
    click(page.get_by_role("button", name="확인: 처리기간 연장"))
    expect(page.locator("#desk-extend .errorlist")).to_be_visible()
    assert page.get_by_label("연장 사유").input_value() == "현장 조사가 더 필요합니다"
    assert_accessible(page)
    page.get_by_label("연장할 기간(근무일)").fill("2")
    click(page.get_by_role("button", name="기한 확인하기"))
    after = Complaint.objects.get(pk=c.pk).due_at
    assert after == before  # shown, not done
    shown = page.locator("#desk-extend .desk-dues-change").inner_text()
    click(page.get_by_role("button", name="확인: 처리기간 연장"))
    expect(page.locator(".messagelist")).to_contain_text("처리기간을 연장했습니다")
    extended = Complaint.objects.get(pk=c.pk)
    assert extended.extension_count == 1 and extended.due_at > before
    assert timezone.localtime(extended.due_at).strftime("%Y-%m-%d %H:%M") in shown

    # Transfer to the right department of the county.
    open_form(page, click, "군 안의 다른 부서로 이송")
    form = page.locator("#desk-transfer")
    form.get_by_label("이송할 부서").select_option(label=environment.name)
    form.get_by_label("이송 사유").fill("생활 쓰레기는 환경과 소관")
    click(page.get_by_role("button", name="기한 확인하기"))
    click(page.get_by_role("button", name="확인: 군 안의 다른 부서로 이송"))
    expect(page.locator(".messagelist")).to_contain_text("이송했습니다")
    assert Complaint.objects.get(pk=c.pk).department == environment


def test_C2_desk_and_home_are_accessible_in_english(chromium, live_server, road_type, roads_clerk):
    now = timezone.now()
    c = file_one(road_type, now=now, arrived_at=now - timedelta(minutes=5))
    context = new_context(chromium, locale="en-US")
    page = context.new_page()
    click = Clicks(page)
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", roads_clerk.username)
    page.fill("#id_password", TEST_PASSWORD)
    click(page.locator("input[type=submit]"))
    expect(page.locator("#site-name")).to_contain_text("Civil Complaint Portal administration")
    expect(page.locator(".desk-tools")).to_contain_text("Counter, phone and mail intake")
    assert_accessible(page)
    click(page.get_by_role("link", name=f"{c.receipt_number} {c.title}"))
    click(desk_button(page, "Assign to me"))
    expect(page.locator(".desk")).to_contain_text("Legal due time")
    open_form(page, click, "Period extended")
    assert_accessible(page)
    context.close()


def test_C2_queue_fits_a_1366_pixel_screen(page, live_server, road_type, roads_clerk):
    now = timezone.now()
    c = file_one(road_type, now=now, arrived_at=now - timedelta(minutes=5))
    Complaint.objects.filter(pk=c.pk).update(is_priority=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    click = Clicks(page)
    sign_in(page, live_server.url, roads_clerk, click)
    click(page.locator(".desk-tools").get_by_role("link", name="민원 처리 목록"))
    owner_column = page.locator("#result_list th.column-owner")
    box = owner_column.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1366
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    expect(page.locator("#result_list .badge-priority")).to_have_text("우선 처리")
