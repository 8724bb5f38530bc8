"""Reception pages in a real browser: the board round trip, a phone memo and its call
back, and axe on the public forms in Korean and English (V4 V5 P3 P6 M2 K2)."""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import SmsMessage
from reception import services
from reception.models import BoardPost, CallbackState, Memo
from staff_directory.models import StaffMember
from tests.fixtures.browser import assert_accessible, new_context, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    """Give the browser the session of a logged-in user."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("path", ["/consult/", "/board/", "/board/new/", "/praise/"])
def test_V5_M2_K2_public_forms_have_no_axe_violations(
    page, live_server, lead_department, roads_clerk, language, path, now
):
    services.post_question(title="공개 질문", body="내용", author_name="이시민", now=now)
    services.post_question(
        title="비공개 질문",
        body="내용",
        author_name="김",
        is_public=False,
        password="abcd",
        now=now,
    )
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_V5_consult_errors_are_tied_to_fields_and_accessible(
    page, live_server, lead_department, language
):
    """A form sent with mistakes (the browser's own checks switched off) shows each
    message tied to its field and still passes axe."""
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + "/consult/")
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.fill("#id_name", "<script>alert(1)</script>")
    page.fill("#id_phone", "12")
    page.locator("main button[type=submit]").click()
    page.locator("#id_phone.is-invalid").wait_for()
    assert page.locator("#id_description.is-invalid").count() == 1
    assert page.locator("#id_phone").get_attribute("aria-describedby")
    assert_accessible(page)


def test_V5_consult_works_without_javascript(page_no_js, live_server, lead_department):
    page = page_no_js
    page.goto(live_server.url + "/consult/")
    page.fill("#id_name", "김민원")
    page.fill("#id_phone", "010-2222-3333")
    page.fill("#id_description", "건축 허가 서류 문의")
    page.locator("main button[type=submit]").click()
    page.get_by_text("상담 신청이 접수되었습니다").first.wait_for()
    assert "민원봉사과" in page.content()


def test_M2_citizen_asks_on_the_board_and_later_sees_the_answer(
    page, live_server, lead_department, roads, roads_clerk
):
    page.goto(live_server.url + "/board/")
    page.get_by_role("link", name="질문하기").click()
    page.get_by_label("제목").fill("배수로가 막혔어요")
    page.get_by_label("내용").fill("전곡읍 은대리 배수로가 낙엽으로 막혔습니다.")
    page.get_by_label("관련 부서").select_option(label="건설과")
    page.get_by_label("이름").fill("이시민")
    page.get_by_label("휴대전화 번호").fill("010-5555-6666")
    page.get_by_label("비공개 (작성자와 담당 직원만 봅니다)").check()
    page.get_by_label("비밀번호").fill("나의비밀번호1234")
    page.get_by_role("button", name="등록").click()
    page.get_by_text("질문이 등록되었습니다").wait_for()
    private_link = page.locator(".alert a").get_attribute("href")
    assert "?key=" in private_link

    post = BoardPost.objects.get()
    assert post.department is None
    # The scheduled sweep routes it; the department answers.
    assert services.sweep_board(now=timezone.now()).routed == 1
    post.refresh_from_db()
    services.answer_post(
        post, answer="다음 주 월요일에 정비합니다.", by=roads_clerk, now=timezone.now()
    )
    assert SmsMessage.objects.filter(to="+821055556666").count() == 1

    # Later, in a fresh browser, the citizen opens the post with the password.
    page.context.clear_cookies()
    page.goto(live_server.url + f"/board/{post.pk}/")
    page.get_by_label("비밀번호").fill("나의비밀번호1234")
    page.get_by_role("button", name="확인").click()
    page.get_by_text("다음 주 월요일에 정비합니다.").wait_for()
    assert "건설과" in page.content()
    # The signed link opens it too.
    page.context.clear_cookies()
    page.goto(private_link)
    page.get_by_text("다음 주 월요일에 정비합니다.").wait_for()


def test_P3_P6_V4_clerk_takes_memo_and_absent_owner_calls_back(
    chromium, live_server, roads_clerk, roads_head, other_clerk
):
    owner = roads_clerk.staff_member
    StaffMember.objects.filter(pk=owner.pk).update(
        presence="trip", substitute=roads_head.staff_member, mobile="+821033334444"
    )

    clerk_context = new_context(chromium)
    clerk = clerk_context.new_page()
    log_in(clerk, live_server, other_clerk)
    clerk.goto(live_server.url + "/staff/memos/new/")
    assert "이환경" in clerk.content()  # the taker, from the login
    clerk.get_by_label("담당자 (부재 중인 직원)").select_option(label="김도로 (주무관)")
    clerk.get_by_label("건 사람 이름").fill("홍길동")
    clerk.get_by_label("용건").fill("보수 공사 일정 문의")
    clerk.locator("#id_phone").fill("010-9876-5432")
    # P6: the browser itself insists on the box; with its checks off, the server does.
    assert clerk.locator("#id_number_read_back").get_attribute("required") is not None
    clerk.evaluate("document.querySelector('main form').noValidate = true")
    clerk.get_by_role("button", name="메모 전달").click()
    # P6: without the read-back confirmation the memo is refused with a message.
    clerk.get_by_text("한 번 더 불러 드려 확인한 뒤 체크해 주세요").wait_for()
    assert not Memo.objects.exists()
    clerk.get_by_label("전화번호를 건 사람에게 다시 불러 드려 확인했습니다").check()
    clerk.get_by_role("button", name="메모 전달").click()
    clerk.get_by_text("메모를 전달했습니다").wait_for()
    memo = Memo.objects.get()
    assert memo.taker_name == "이환경" and memo.callback_state == CallbackState.PENDING
    assert SmsMessage.objects.filter(to="+821033334444").count() == 1
    clerk_context.close()

    owner_context = new_context(chromium)
    page = owner_context.new_page()
    log_in(page, live_server, roads_clerk)
    page.goto(live_server.url + "/admin/")
    block = page.locator("#my-open-memos")
    assert "홍길동" in block.inner_text()
    block.get_by_role("link", name="홍길동").click()
    page.get_by_label("회신 완료").check()
    page.get_by_label("회신 메모").fill("통화하여 일정 안내함")
    page.get_by_role("button", name="저장").click()
    page.get_by_text("회신 결과를 저장했습니다").wait_for()
    assert "회신을 기다리는 메모가 없습니다" in page.content()
    memo.refresh_from_db()
    assert memo.callback_state == CallbackState.DONE and memo.closed_by == roads_clerk
    owner_context.close()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_V4_staff_memo_pages_have_no_axe_violations(
    page, live_server, roads_clerk, other_clerk, language, now
):
    memo = services.record_memo(
        owner=roads_clerk.staff_member,
        caller_name="홍길동",
        purpose="문의",
        contacted_at=now,
        callback_needed=True,
        phone="+821098765432",
        number_read_back=True,
        taken_by=other_clerk,
        now=now,
    )
    log_in(page, live_server, roads_clerk)
    switch_language(page, live_server.url, language)
    for path in ("/staff/memos/", "/staff/memos/new/", f"/staff/memos/{memo.pk}/"):
        page.goto(live_server.url + path)
        assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "error", "reference", "call"),
    [
        ("ko", "오류 - ", "상담 접수번호", "전화드리는 때"),
        ("en", "Error - ", "Consultation number", "We will call you"),
    ],
)
def test_V5_consult_wrong_phone_gets_the_shared_summary_then_a_reference_and_call_time(
    page, live_server, lead_department, language, error, reference, call
):
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + "/consult/")
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.fill("#id_name", "김민원")
    page.fill("#id_phone", "010-12")
    page.fill("#id_description", "건축 허가 서류 문의")
    page.locator("main button[type=submit]").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    # The same summary as the complaint form: focused, linked to the field, in the title.
    expect(summary).to_be_focused()  # the page's script moves it there once loaded
    assert page.title().startswith(error)
    assert summary.locator("a[href='#id_phone']").count() == 1
    assert_accessible(page)

    page.fill("#id_phone", "010-2222-3333")
    page.locator("main button[type=submit]").click()
    page.locator(".consult-reference").wait_for()
    assert not page.title().startswith(error)
    assert reference in page.locator(".consult-reference").inner_text()
    assert page.locator(".consult-reference strong").inner_text().startswith("C-")
    due = page.locator(".callback-due")
    assert call in due.inner_text()
    assert due.locator("time").get_attribute("datetime")
    assert_accessible(page)


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("path", ["/board/new/", "/praise/"])
def test_M2_K2_every_citizen_form_shows_the_same_error_summary(
    page, live_server, lead_department, language, path
):
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + path)
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    expect(summary).to_be_focused()  # the page's script moves it there once loaded
    assert page.title().startswith("오류 - " if language == "ko" else "Error - ")
    assert_accessible(page)
