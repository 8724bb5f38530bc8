"""The printed 접수증 (C3): read back from the PDF Chromium prints, on A4 and Letter, in
Korean and English. Older citizens keep it as proof of filing."""

import uuid

import pytest

from complaints.catalogue import seed_complaint_types
from tests.fixtures.browser import switch_language
from tests.fixtures.pdf import assert_within_margins, read_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIPT_MARGIN_MM = 15  # the @page margin of static/css/print.css
LONG_CONTENT = (
    "차탄리 버스 정류장 앞 도로에 지름 50센티미터쯤 되는 구멍이 있어 "
    "밤에는 보이지 않아 위험합니다. "
    "The hole is dangerous at night for cyclists and older people walking home. "
    "비가 오면 물이 고여 깊이를 알 수 없습니다. 빨리 메워 주시기 바랍니다."
)


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"receipt-print-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def receipt_page(page, live_server, lead_department, roads, environment):
    seed_complaint_types()

    def open_receipt(language: str):
        switch_language(page, live_server.url, language)
        page.goto(live_server.url + "/complaints/new/road-damage/")
        page.locator("#id_name").fill("홍길동")
        page.locator("#id_phone").fill("010-1234-5678")
        page.locator("#id_address").fill("경기도 연천군 연천읍 차탄로 1")
        page.locator("#id_title").fill("차탄리 정류장 앞 도로 파손")
        page.locator("#id_content").fill(LONG_CONTENT)
        page.locator("form.citizen-form button[type=submit]").click()
        page.wait_for_url("**/complaints/receipt/**")
        page.emulate_media(media="print")
        return page

    return open_receipt


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_C3_printed_receipt_keeps_each_label_beside_its_value(receipt_page, language, paper):
    page = receipt_page(language)
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('.receipt-facts dt')].map(
               (dt) => [dt.innerText.trim(), dt.nextElementSibling.innerText.trim()])"""
    )
    labels = [label for label, _ in pairs]
    printout = read_pdf(page.pdf(format=paper))

    assert len(printout.pages) == 1 or paper == "Letter", "the receipt is one A4 page"
    assert_within_margins(printout, RECEIPT_MARGIN_MM)
    lines = printout.lines()
    for label, value in pairs:
        first_word = value.split()[0]
        beside = [line for line in lines if line.startswith(f"{label} {first_word}")]
        assert beside, f"{label!r} is not followed by {first_word!r} on its line:\n" + "\n".join(
            lines
        )
        others = [other for other in labels if other != label and f" {other} " in f" {beside[0]} "]
        assert not others, f"{label!r} shares its line with {others}: {beside[0]!r}"
    # Nothing cut at the edge: the long sentences are whole, word by word.
    text = " ".join(w.text for w in printout.words)
    assert "dangerous at night" in " ".join(text.split())
    assert "바랍니다." in text


def test_C3_receipt_fits_one_a4_page_in_large_text(receipt_page):
    page = receipt_page("ko")
    page.emulate_media(media="screen")
    page.get_by_role("button", name="큰 글자").click()
    page.wait_for_selector("html.text-large")
    page.emulate_media(media="print")
    printout = read_pdf(page.pdf(format="A4"))
    assert len(printout.pages) == 1
    assert_within_margins(printout, RECEIPT_MARGIN_MM)
