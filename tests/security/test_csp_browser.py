"""In Chromium, no page breaks the Content Security Policy: citizen pages, the admin and
the dashboard (with its charts) report no violation, and the citizen form's script (now a
static file) still runs."""

import pytest

from tests.factories import TEST_PASSWORD
from tests.fixtures.browser import watch_csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_pages_have_no_csp_violations(page, live_server, road_type):
    violations = watch_csp_violations(page)
    for path in ("/", f"/complaints/new/{road_type.code}/", "/complaints/track/", "/consult/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    # The filing form's script ran: the contract question shows for a contractor only.
    page.goto(live_server.url + f"/complaints/new/{road_type.code}/")
    page.check("input[name=filer_type][value=contractor]")
    assert page.locator("#div_id_about_contract").is_visible()
    assert page.locator("#div_id_acts_as_private_party").is_hidden()
    assert violations == []


def test_admin_and_dashboard_have_no_csp_violations(page, live_server, superuser, roads_complaint):
    violations = watch_csp_violations(page)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", superuser.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for path in (
        "/admin/",
        "/admin/complaints/complaint/",
        f"/admin/complaints/complaint/{roads_complaint.pk}/change/",
        "/admin/auth/user/add/",
        "/dashboard/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert violations == []
