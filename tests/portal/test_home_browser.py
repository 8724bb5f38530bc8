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
