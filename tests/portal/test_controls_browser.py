"""Form controls people can see and hit (KWCAG 2.2 / WCAG 2.1 1.4.11 and 2.2's 2.5.8),
which axe does not check: every text box, list, radio button and checkbox of the citizen
forms has a border of at least 3:1 against the page, and every radio button and checkbox
is at least 24 × 24 CSS pixels, on a 375 px phone screen."""

import pytest

from complaints.catalogue import seed_complaint_types
from complaints.models import ComplaintType
from tests.fixtures.browser import switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTROLS = "main input:not([type=hidden]):not([type=submit]), main select, main textarea"

READ_CONTROLS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null)
  .map((el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
      id: el.id || el.name, type: el.type || el.tagName.toLowerCase(),
      border: style.borderTopColor, width: box.width, height: box.height,
    };
  })"""


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG 2.1) of a computed `rgb(r, g, b)` colour."""
    channels = [int(c) / 255 for c in css_colour.split("(")[1].split(")")[0].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def forms(lead_department, roads, environment):
    seed_complaint_types()
    code = ComplaintType.objects.filter(is_active=True).values_list("code", flat=True)[0]
    return [f"/complaints/new/{code}/", "/consult/", "/board/new/", "/praise/"]


NOTICE_TITLE = {"ko": "개인정보 수집·이용 안내", "en": "How we use your personal data"}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_form_controls_have_visible_borders_and_large_enough_targets(
    page, live_server, forms, language
):
    """On a phone, in either language: the controls can be seen and hit, and the
    personal-data notice is shown in the form before the send button."""
    page.set_viewport_size({"width": 375, "height": 800})
    switch_language(page, live_server.url, language)
    problems = []
    for path in forms:
        page.goto(live_server.url + path)
        notice = page.locator("main form .privacy-notice")
        assert notice.is_visible(), path
        assert NOTICE_TITLE[language] in notice.inner_text()
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        controls = page.evaluate(READ_CONTROLS, CONTROLS)
        assert controls, path
        for control in controls:
            ratio = contrast(control["border"], background)
            if ratio < 3:
                problems.append(f"{path} {control['id']}: border {ratio:.2f}:1")
            if (
                control["type"] in {"radio", "checkbox"}
                and min(control["width"], control["height"]) < 24
            ):
                problems.append(
                    f"{path} {control['id']}: {control['width']:.0f}×{control['height']:.0f} px"
                )
    assert problems == []
