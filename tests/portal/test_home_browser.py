"""The home page in a real browser: accessible in Korean and English."""

import pytest

from tests.fixtures.browser import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_home_has_no_axe_violations(page, live_server, language):
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


def test_home_skip_link_is_first_keyboard_stop(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_home_on_a_phone_has_its_favicon_and_whole_phone_numbers(page, live_server, language):
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.set_viewport_size({"width": 375, "height": 800})
    switch_language(page, live_server.url, language)
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("link[rel=icon]").count() == 1
    assert not missing, f"not found: {missing}"
    # A phone number is one unbroken piece, even on a 375 px screen in large text.
    page.locator(".site-header button[type=submit]").first.click()
    page.wait_for_selector("html.text-large")
    for phone in page.locator("a[href^='tel:']").all():
        assert phone.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
        assert len(phone.evaluate("el => [...el.getClientRects()]")) == 1
