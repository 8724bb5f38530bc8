"""The directory in a real browser: accessible in Korean and English, usable by keyboard
alone and without JavaScript (V1 V4)."""

import datetime

import pytest
from django.utils import timezone

from staff_directory.models import Presence
from tests.factories import StaffMemberFactory
from tests.fixtures.browser import assert_accessible, switch_language
from tests.fixtures.pdf import assert_within_margins, read_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(roads, environment, lead_department):
    substitute = StaffMemberFactory(
        department=roads,
        name="정대리",
        name_en="Jeong Daeri",
        duties="도로 점용 허가",
        direct_line="031-839-2318",
        desk_row=2,
        desk_column=2,
    )
    StaffMemberFactory(
        department=roads,
        name="김도로",
        name_en="Kim Doro",
        duties="포트홀 신고 처리",
        direct_line="031-839-2314",
        desk_row=2,
        desk_column=1,
    )
    StaffMemberFactory(
        department=roads,
        name="한출장",
        name_en="Han Chuljang",
        title="팀장",
        duties="하천 정비",
        presence=Presence.TRIP,
        substitute=substitute,
        presence_until=timezone.now() + datetime.timedelta(hours=2),
        desk_row=1,
        desk_column=2,
    )
    StaffMemberFactory(department=environment, name="이환경", duties="생활 쓰레기")
    return roads


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/staff/",
        "/staff/?q=도로",
        "/staff/construction/",
        "/staff/construction/seating/",
        "/staff/construction/nameplates/",
    ],
)
def test_directory_pages_have_no_axe_violations(page, live_server, directory, language, path):
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


def test_V4_keyboard_only_walk_from_search_to_department_cards(page, live_server, directory):
    page.goto(live_server.url + "/staff/")
    search = page.get_by_label("누가 담당하나요?")
    for _ in range(40):
        page.keyboard.press("Tab")
        if search.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the search field is not reachable with Tab")
    page.keyboard.type("포트홀")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/?q=*")
    assert page.get_by_text("포트홀 신고 처리").is_visible()
    link = page.locator(".search-results a", has_text="건설과").first
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the department link is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/construction/")
    cards = page.locator("article.staff-card")
    assert cards.count() == 3
    away = page.locator("article.staff-card.is-away")
    assert "정대리" in away.inner_text() and "031-839-2318" in away.inner_text()


def test_directory_works_without_javascript(page_no_js, live_server, directory):
    page = page_no_js
    page.goto(live_server.url + "/staff/")
    page.get_by_label("누가 담당하나요?").fill("쓰레기")
    page.get_by_role("button", name="찾기").click()
    page.wait_for_url("**/staff/?q=*")
    assert page.get_by_text("이환경").first.is_visible()
    page.get_by_role("link", name="건설과").first.click()
    page.wait_for_url("**/staff/construction/")
    assert page.locator("article.staff-card").count() == 3
    assert page.get_by_text("대신 찾아 주실 분").is_visible()
    page.get_by_role("link", name="직원 배치도 (인쇄용)").click()
    assert page.locator(".seat").count() == 3


def test_V1_seating_chart_prints_on_a4_landscape(page, live_server, directory):
    page.goto(live_server.url + "/staff/construction/seating/")
    page.emulate_media(media="print")
    # The header and footer are not on the poster; the seats are.
    assert not page.locator(".site-footer").is_visible()
    assert page.locator(".seat").first.is_visible()
    printout = read_pdf(page.pdf(prefer_css_page_size=True))
    assert len(printout.pages) == 1
    assert_within_margins(printout, 10)
    # Each desk's line is printed whole, never broken inside the number.
    for number in ["031-839-2318", "031-839-2314"]:
        assert printout.find(number), f"{number} is not whole on the poster"
    # Desks sit where desk_row/desk_column put them: row 1 above row 2.
    head = page.locator(".seat.r-1").bounding_box()
    clerk = page.locator(".seat.r-2.c-1").bounding_box()
    assert head["y"] < clerk["y"]


def _log_in(page, live_server, client_for, user) -> None:
    client = client_for(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("language", ["ko", "en"])
def test_P2_P4_staff_page_is_accessible(
    page, live_server, client_for, roads_clerk, roads_head, language
):
    _log_in(page, live_server, client_for, roads_clerk)
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + "/staff/me/")
    assert page.locator(".greeting-line").is_visible()
    assert page.locator(".transfer-sentence").count() == 1
    assert_accessible(page)


def test_V4_clerk_sets_presence_in_a_few_clicks(
    page, live_server, client_for, roads_clerk, roads_head
):
    _log_in(page, live_server, client_for, roads_clerk)
    page.goto(live_server.url + "/staff/me/")
    page.locator("#id_presence").select_option("field")
    page.locator("#id_substitute").select_option(label="박과장 (과장)")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url("**/staff/me/")
    assert page.get_by_text("근무 상태를 바꾸었습니다.").is_visible()
    page.goto(live_server.url + "/staff/construction/")
    away = page.locator("article.staff-card.is-away")
    assert "박과장" in away.inner_text() and "031-839-2301" in away.inner_text()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_V2_name_plate_prints_as_a_tent_card(page, live_server, directory, language):
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + "/staff/construction/nameplates/")
    assert_accessible(page)
    page.emulate_media(media="print")
    # Every line on a plate is 12 pt (16 CSS px) or more, the department and phone included.
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.nameplate p, .nameplate span, .nameplate strong')]
               .filter((el) => el.innerText.trim())
               .map((el) => [el.innerText.trim(), parseFloat(getComputedStyle(el).fontSize)])"""
    )
    small = [(text, size) for text, size in sizes if size < 16]
    assert not small, f"under 12 pt on the plate: {small}"

    printout = read_pdf(page.pdf(prefer_css_page_size=True))
    assert len(printout.pages) == 3  # one plate a page
    assert_within_margins(printout, 10)
    width, height = printout.pages[0]
    assert width > height  # A4 landscape
    fold_word = "접는" if language == "ko" else "fold"
    for number in range(3):
        folds = [w for w in printout.find(fold_word) if w.page == number]
        assert len(folds) == 1, "one fold line label a plate"
        fold = folds[0].y0
        assert abs(fold - height / 2) < 10  # the fold is across the middle
        # The name on both faces: once above the fold (the back) and once below (the front).
        names = [
            w
            for w in printout.words
            if w.page == number and w.text in {"정대리", "김도로", "한출장", "Jeong", "Kim", "Han"}
        ]
        assert len(names) == 2, names
        assert names[0].text == names[1].text
        back, front = sorted(names, key=lambda w: w.y0)
        assert back.y1 < fold < front.y0
        assert front.y1 - front.y0 >= 12 and back.y1 - back.y0 >= 12
