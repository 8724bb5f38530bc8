"""S1 in a real browser: a citizen answers the after-closure survey from the SMS link;
axe finds nothing on the survey page in Korean and English, nor on its error state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import services
from surveys.models import Response, SurveyInvitation
from tests.fixtures.browser import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(live_server, case) -> str:
    services.invite_closed_complaints(timezone.now())
    invitation = SurveyInvitation.objects.get(complaint=case)
    return f"{live_server.url}/surveys/{services.token_for(invitation.nonce)}/"


@pytest.mark.parametrize(
    ("language", "heading", "choice", "send"),
    [
        ("ko", "민원 처리 만족도 조사", "4 만족", "응답 보내기"),
        ("en", "Satisfaction with your completed request", "4 Satisfied", "Send answers"),
    ],
)
def test_S1_citizen_answers_survey_from_link_accessible(
    page, live_server, closed_case, language, heading, choice, send
):
    case = closed_case(closed_at=timezone.now() - timedelta(hours=2))
    url = _link(live_server, case)
    switch_language(page, live_server.url, language)
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)

    # Sending nothing shows the errors next to the questions, still accessible.
    page.get_by_role("button", name=send).click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)

    groups = page.locator("fieldset")
    assert groups.count() == 3
    for index in range(3):
        groups.nth(index).get_by_label(choice, exact=True).check()
    page.locator("textarea").fill("감사합니다" if language == "ko" else "Thank you")
    page.get_by_role("button", name=send).click()
    page.wait_for_url("**/surveys/thanks/")
    assert_accessible(page)

    response = Response.objects.get()
    assert sorted(response.answers.exclude(score=None).values_list("score", flat=True)) == [4] * 3
    page.goto(url)
    assert page.locator(".alert").inner_text().strip() != ""
    assert_accessible(page)


def test_S1_survey_works_without_javascript(page_no_js, live_server, closed_case):
    case = closed_case(closed_at=timezone.now() - timedelta(hours=2))
    url = _link(live_server, case)
    page_no_js.goto(url)
    for index in range(3):
        page_no_js.locator("fieldset").nth(index).get_by_label("5 매우 만족", exact=True).check()
    page_no_js.get_by_role("button", name="응답 보내기").click()
    page_no_js.wait_for_url("**/surveys/thanks/")
    assert Response.objects.count() == 1
