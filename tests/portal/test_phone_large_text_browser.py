"""Every citizen page on a 375 px phone in large text, in Korean and in English: axe finds
no WCAG 2.1 A/AA violation, and the English pages read the directory's names in English."""

import io

import pytest
from django.core.management import call_command

from complaints.catalogue import seed_complaint_types
from complaints.models import ComplaintType
from staff_directory.management.commands import seed_demo
from tests.fixtures.browser import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(monkeypatch):
    """The demo directory and complaint types (as `make run` loads them), no filings."""
    monkeypatch.setattr(seed_demo, "DEMO_SEEDERS", [])
    call_command("seed_demo", "--force", stdout=io.StringIO())
    seed_complaint_types()  # a transactional test starts from an emptied database


def citizen_pages() -> list[str]:
    code = ComplaintType.objects.filter(is_active=True).values_list("code", flat=True)[0]
    return [
        "/",
        "/complaints/new/",
        f"/complaints/new/{code}/",
        "/complaints/track/",
        "/consult/",
        "/board/",
        "/board/new/",
        "/praise/",
        "/staff/",
    ]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_citizen_page_is_accessible_on_a_phone_in_large_text(
    page, live_server, demo, language
):
    page.set_viewport_size({"width": 375, "height": 800})
    switch_language(page, live_server.url, language)
    page.context.add_cookies([{"name": "large_text", "value": "1", "url": live_server.url}])
    for path in citizen_pages():
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language, path
        assert "text-large" in (page.locator("html").get_attribute("class") or ""), path
        assert_accessible(page)


def test_V1_the_english_directory_reads_in_english(page, live_server, demo):
    switch_language(page, live_server.url, "en")
    page.goto(live_server.url + "/staff/")
    main = page.locator("main").inner_text()
    assert "Civil Service Division" in main
    assert "민원봉사과" not in main
