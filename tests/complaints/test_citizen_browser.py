"""The citizen's filing, receipt and tracking in Chromium: keyboard only, without
JavaScript, and accessible (axe, WCAG 2.1 AA) in Korean and English (C1 C3 O1 O2)."""

import uuid

import pytest

from complaints.catalogue import seed_complaint_types
from complaints.models import Complaint, FormToken
from tests.complaints import files
from tests.fixtures.browser import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"citizen-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def catalogue(lead_department, roads, environment):
    seed_complaint_types()


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, limit: int = 150) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user does."""
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{locator} is not reachable with Tab")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, page.locator(selector))
    page.keyboard.type(text)


def test_C1_C3_keyboard_only_filing_receipt_and_tracking(page, live_server, catalogue):
    page.goto(live_server.url + "/complaints/new/")
    tab_to(page, page.get_by_role("link", name="도로 파손 신고"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/complaints/new/road-damage/")

    # The individual filer is chosen already; the rest is typed.
    assert page.locator("#id_filer_type_0").is_checked()
    type_into(page, "#id_name", "홍길동")
    type_into(page, "#id_phone", "010-1234-5678")
    type_into(page, "#id_address", "경기도 연천군 연천읍 차탄로 1")
    tab_to(page, page.locator("#id_lives_in_county"))
    page.keyboard.press("Space")
    tab_to(page, page.locator("#id_priority_reasons_0"))
    page.keyboard.press("Space")
    type_into(page, "#id_title", "도로가 패였습니다")
    type_into(page, "#id_content", "차탄리 앞 도로에 큰 구멍이 있습니다.")
    tab_to(page, page.locator("#id_sms_consent"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="신청하기"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/complaints/receipt/**")

    complaint = Complaint.objects.get()
    assert complaint.priority_reasons == ["elderly"]
    assert complaint.lives_in_county and complaint.sms_consent
    assert page.locator(".receipt-number strong").inner_text() == complaint.receipt_number
    assert page.locator("#print-button").is_visible()  # JavaScript on: the button shows

    tab_to(page, page.get_by_role("link", name="지금 처리 상황 보기"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/complaints/track/*/")
    assert page.locator(".receipt-number strong").inner_text() == complaint.receipt_number
    assert page.get_by_text("홍*동").is_visible()

    # And by typing the number and the phone, as from the printed receipt.
    page.goto(live_server.url + "/complaints/track/")
    type_into(page, "#id_receipt_number", complaint.receipt_number)
    type_into(page, "#id_phone", "01012345678")
    page.keyboard.press("Enter")
    page.wait_for_url("**/complaints/track/*/")
    assert page.locator(".current-stage").inner_text() == "접수"


def test_filing_works_without_javascript(page_no_js, live_server, catalogue):
    page = page_no_js
    page.goto(live_server.url + "/complaints/new/")
    page.get_by_role("link", name="직원 불친절 신고").click()
    page.wait_for_url("**/complaints/new/staff-unkind/")
    # Without JavaScript every follow-up question is shown, saying whom it is for.
    assert page.locator("#id_acts_as_private_party_0").is_visible()
    assert page.locator("#id_about_contract_0").is_visible()
    # Errors first: the summary links to the fields.
    page.get_by_role("button", name="신청하기").click()
    assert page.locator("#error-summary").is_visible()
    page.locator("#error-summary a[href='#id_name']").click()
    page.locator("#id_name").fill("김민원")
    page.locator("#id_phone").fill("010-2222-3333")
    page.locator("#id_address").fill("경기도 연천군 전곡읍 은전로 10")
    page.locator("#id_title").fill("창구 직원이 불친절했습니다")
    page.locator("#id_content").fill("설명을 제대로 듣지 못했습니다.")
    page.get_by_role("button", name="신청하기").click()
    page.wait_for_url("**/complaints/receipt/**")
    complaint = Complaint.objects.get()
    assert complaint.kind == "service"
    assert page.locator(".receipt-number strong").inner_text() == complaint.receipt_number
    # No JavaScript: no print button, the instructions instead.
    assert not page.locator("#print-button").is_visible()
    assert page.locator("#print-help").is_visible()
    # Back and submit again: still one filing, the same receipt.
    page.go_back()
    page.get_by_role("button", name="신청하기").click()
    page.wait_for_url("**/complaints/receipt/**")
    assert Complaint.objects.count() == 1 and FormToken.objects.count() == 1


def test_receipt_prints_without_the_menus(page, live_server, catalogue):
    page.goto(live_server.url + "/complaints/new/road-damage/")
    page.locator("#id_name").fill("홍길동")
    page.locator("#id_phone").fill("010-1234-5678")
    page.locator("#id_address").fill("경기도 연천군 연천읍 차탄로 1")
    page.locator("#id_title").fill("도로")
    page.locator("#id_content").fill("구멍")
    page.get_by_role("button", name="신청하기").click()
    page.wait_for_url("**/complaints/receipt/**")
    page.emulate_media(media="print")
    assert not page.locator(".site-footer").is_visible()
    assert not page.locator("#print-button").is_visible()
    assert page.locator(".due-at").is_visible()
    assert page.pdf().startswith(b"%PDF")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_citizen_pages_have_no_axe_violations(page, live_server, catalogue, language):
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + "/complaints/new/")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)

    page.goto(live_server.url + "/complaints/new/road-damage/")
    assert_accessible(page)
    # With errors shown.
    page.locator("#id_phone").fill("12")
    page.locator("#id_email").fill("wrong")
    page.locator("form.citizen-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert_accessible(page)
    # With an exclusion answered (K3); the follow-up question appears when it concerns.
    assert not page.locator("#id_acts_as_private_party_1").is_visible()
    page.locator("#id_filer_type_2").check()
    assert page.locator("#id_acts_as_private_party_1").is_visible()
    assert not page.locator("#id_about_contract_0").is_visible()
    page.locator("#id_acts_as_private_party_1").check()
    page.locator("#id_name").fill("홍길동")
    page.locator("#id_phone").fill("010-1234-5678")
    page.locator("#id_email").fill("")
    page.locator("#id_address").fill("경기도 연천군 연천읍 차탄로 1")
    page.locator("#id_title").fill("협조 요청")
    page.locator("#id_content").fill("공문 대신 올립니다")
    page.locator("form.citizen-form button[type=submit]").click()
    page.wait_for_selector("#exclusion")
    assert_accessible(page)

    page.locator("#id_filer_type_0").check()
    page.locator("form.citizen-form button[type=submit]").click()
    page.wait_for_url("**/complaints/receipt/**")
    assert_accessible(page)
    number = page.locator(".receipt-number strong").inner_text()

    page.goto(live_server.url + "/complaints/track/")
    assert_accessible(page)
    page.locator("#id_receipt_number").fill("2026-999999")
    page.locator("#id_phone").fill("010-1234-5678")
    page.locator("form.citizen-form button[type=submit]").click()
    page.wait_for_selector("#not-found")
    assert_accessible(page)
    page.locator("#id_receipt_number").fill(number)
    page.locator("form.citizen-form button[type=submit]").click()
    page.wait_for_url("**/complaints/track/*/")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "again", "receipt_none"),
    [("ko", "다시 골라 주세요", "없음"), ("en", "choose it again", "None")],
)
def test_C3_chosen_file_after_a_form_error_is_asked_for_again_and_then_filed(
    page, live_server, catalogue, tmp_path, language, again, receipt_none
):
    scan = tmp_path / "pothole.pdf"
    scan.write_bytes(files.PDF)
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + "/complaints/new/road-damage/")
    page.locator("#id_name").fill("홍길동")
    page.locator("#id_phone").fill("010-12")
    page.locator("#id_address").fill("경기도 연천군 연천읍 차탄로 1")
    page.locator("#id_title").fill("도로가 패였습니다")
    page.locator("#id_content").fill("구멍이 큽니다")
    page.locator("#id_attachments").set_input_files(str(scan))
    page.locator("form.citizen-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")

    # The error page says, on the file box and in the summary, that the file must be
    # chosen again: it is not silently dropped.
    field_error = page.locator("#id_attachments").locator("xpath=..").locator(".invalid-feedback")
    assert "pothole.pdf" in field_error.inner_text() and again in field_error.inner_text()
    assert "pothole.pdf" in page.locator("#error-summary").inner_text()
    assert Complaint.objects.count() == 0
    assert_accessible(page)

    page.locator("#id_phone").fill("010-1234-5678")
    page.locator("#id_attachments").set_input_files(str(scan))
    page.locator("form.citizen-form button[type=submit]").click()
    page.wait_for_url("**/complaints/receipt/**")
    facts = page.locator(".receipt-facts").inner_text()
    assert "pothole.pdf" in facts and receipt_none not in facts
    assert Complaint.objects.get().attachments.get().original_name == "pothole.pdf"
