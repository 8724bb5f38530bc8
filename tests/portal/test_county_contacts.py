"""The county's own contacts (the civil-service phone and e-mail) are one setting each:
every page, error page, notice and API text shows them from there, in Korean and English."""

import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from complaints import notices
from tests.complaints.factories import ComplaintTypeFactory, file_one

ROOT = Path(__file__).resolve().parents[2]
NEW_PHONE = "031-123-4567"


@pytest.fixture
def a_type(roads, lead_department):
    return ComplaintTypeFactory(handling_department=roads, lead_department=lead_department)


@pytest.fixture
def new_contacts(settings):
    settings.COUNTY_PHONE = NEW_PHONE
    settings.COUNTY_EMAIL = "help@county.example.kr"
    cache.clear()  # pages kept rendered with the old number
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_citizen_footer_and_filing_form_show_the_county_phone_setting(
    client, new_contacts, a_type, language
):
    client.cookies["django_language"] = language
    html = client.get(reverse("complaints:new_form", args=[a_type.code])).text
    assert 'href="tel:+82311234567"' in html
    assert html.count(NEW_PHONE) >= 2  # the footer and the form's help line
    assert "839-2114" not in html


@pytest.mark.parametrize("template", ["500.html", "503.html", "request_refused.html"])
def test_error_pages_drawn_without_a_request_show_the_county_phone_setting(new_contacts, template):
    html = render_to_string(template)
    assert NEW_PHONE in html
    assert "+82 31-123-4567" in html  # for the English reader
    assert "839-2114" not in html


@pytest.mark.django_db
def test_a_notice_names_the_county_phone_when_neither_owner_nor_department_has_one(
    new_contacts, a_type, roads
):
    roads.main_phone = ""
    roads.save()
    complaint = file_one(a_type)
    assert notices.contact_context(complaint)["contact"] == NEW_PHONE
    assert complaint.contact_phone == NEW_PHONE


@pytest.mark.django_db
def test_open311_discovery_gives_the_county_contacts_setting(client, new_contacts):
    data = client.get("/open311/v2/discovery.json").json()
    assert NEW_PHONE in data["contact"] and "help@county.example.kr" in data["contact"]
    assert NEW_PHONE in data["key_service"]


def test_the_county_number_is_written_only_in_its_setting():
    listed = subprocess.run(
        ["git", "grep", "-l", "-e", "839-2114", "-e", "82318392114", "--", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    allowed = {"yeoncheon_portal/settings.py", ".env.example"}
    stray = [p for p in listed if p not in allowed and not p.startswith(("tests/", "docs/"))]
    assert stray == []
