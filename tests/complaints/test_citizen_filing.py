"""The citizen's filing form and receipt (C1 C3 K3 K4 O1 O2 O4 V6), and its bad input."""

import re
import uuid
from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints import tracking
from complaints.catalogue import seed_complaint_types
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintType,
    FormToken,
    Kind,
    ReceiptCounter,
    StageEvent,
)
from notifications.models import SmsMessage
from tests.complaints.factories import NOW, SEOUL, ComplaintTypeFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Rate-limit counters of these tests live in a cache of their own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"citizen-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def service_type(lead_department):
    return ComplaintTypeFactory(
        code="t-unkind",
        name="직원 불친절 신고",
        kind=Kind.SERVICE,
        period_days=14,
        handling_department=lead_department,
        lead_department=lead_department,
    )


@pytest.fixture
def suggestion_type(lead_department):
    return ComplaintTypeFactory(
        code="t-idea",
        name="제도 개선 제안",
        kind=Kind.SUGGESTION,
        period_days=14,
        handling_department=lead_department,
        lead_department=lead_department,
    )


def form_url(ctype) -> str:
    return reverse("complaints:new_form", args=[ctype.code])


def fresh_token(client, ctype) -> str:
    """The one-time token as the browser gets it: from the page's hidden field."""
    response = client.get(form_url(ctype))
    assert response.status_code == 200
    return re.search(r'name="token" value="([^"]+)"', response.text).group(1)


def filing_data(token: str, **overrides) -> dict:
    data = {
        "token": token,
        "filer_type": "individual",
        "name": "홍길동",
        "phone": "010-1234-5678",
        "email": "hong@example.com",
        "address": "경기도 연천군 연천읍 차탄로 1",
        "lives_in_county": "on",
        "visit_count": "",
        "title": "도로가 패였습니다",
        "content": "연천읍 차탄리 앞 도로에 큰 구멍이 있습니다.",
        "location_text": "연천읍 차탄리 123 앞",
        "sms_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def file_via_web(client, ctype, **overrides):
    return client.post(form_url(ctype), filing_data(fresh_token(client, ctype), **overrides))


def counts() -> dict:
    return {
        "complaints": Complaint.objects.count(),
        "events": StageEvent.objects.count(),
        "tokens": FormToken.objects.count(),
        "attachments": Attachment.objects.count(),
        "sms": SmsMessage.objects.count(),
        "receipt_numbers": sum(ReceiptCounter.objects.values_list("last", flat=True)),
    }


def follow_receipt(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/complaints/receipt/")
    return client.get(response["Location"])


# --- Step 1: the type list -------------------------------------------------------------
def test_O1_type_list_groups_by_kind_and_lists_what_the_office_looks_up(
    client, lead_department, roads
):
    seed_complaint_types()
    ComplaintType.objects.filter(code="road-damage").update(accepts_online=False)
    response = client.get(reverse("complaints:new"))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("민원", "불만·불편 신고", "개선 제안"):
        assert f">{heading}</h2>" in html
    assert "가져오지 않으셔도 되는 서류" in html
    for lookup in ("주민등록표 등본", "가족관계증명서", "토지대장"):
        assert lookup in html
    assert "14일 (토요일·공휴일 제외)" in html
    assert reverse("complaints:new_form", args=["staff-unkind"]) in html
    # A type that cannot be filed online is not offered, and its form is not there.
    assert reverse("complaints:new_form", args=["road-damage"]) not in html
    assert client.get(reverse("complaints:new_form", args=["road-damage"])).status_code == 404


def test_O1_form_page_repeats_what_the_office_looks_up(client, lead_department):
    ctype = ComplaintTypeFactory(
        code="t-cert",
        period_days=7,
        handling_department=lead_department,
        office_lookups="주민등록표 등본\n토지대장",
    )
    html = client.get(form_url(ctype)).content.decode()
    assert "군에서 직접 확인합니다" in html
    assert "주민등록표 등본" in html and "토지대장" in html


def test_form_is_reachable_by_id_and_unknown_types_are_404(client, road_type):
    assert client.get(reverse("complaints:new_form", args=[road_type.pk])).status_code == 200
    assert client.get(reverse("complaints:new_form", args=["no-such-type"])).status_code == 404
    assert client.get(reverse("complaints:new_form", args=["99999"])).status_code == 404


def test_form_fields_have_autocomplete_and_grouped_questions(client, road_type):
    html = client.get(form_url(road_type)).content.decode()
    for name, token in (
        ("name", "name"),
        ("phone", "tel"),
        ("email", "email"),
        ("address", "street-address"),
    ):
        assert re.search(
            rf'name="{name}"[^>]*autocomplete="{token}"|autocomplete="{token}"[^>]*name="{name}"',
            html,
        )
    assert html.count("<fieldset") >= 5
    assert "<legend" in html and 'type="file"' in html and "multiple" in html


# --- Step 2: filing ------------------------------------------------------------------
def test_C1_C3_service_complaint_filed_from_the_web(client, service_type, frozen):
    response = file_via_web(
        client, service_type, title="창구 직원이 불친절했습니다", content="설명을 듣지 못했습니다."
    )
    receipt = follow_receipt(client, response)
    complaint = Complaint.objects.get()
    assert complaint.kind == Kind.SERVICE
    assert complaint.channel == "web"
    assert complaint.received_at == NOW
    assert complaint.created_by is None
    assert complaint.phone == "+821012345678"
    assert receipt.status_code == 200
    html = receipt.content.decode()
    assert complaint.receipt_number in html
    assert "인터넷" in html
    assert "창구 직원이 불친절했습니다" in html
    assert complaint.events.get().action == "file"


def test_K4_suggestion_filed_as_its_own_kind(client, suggestion_type, frozen):
    follow_receipt(client, file_via_web(client, suggestion_type, title="민원실에 돋보기를"))
    complaint = Complaint.objects.get()
    assert complaint.kind == Kind.SUGGESTION
    assert complaint.complaint_type == suggestion_type


def test_O2_receipt_shows_the_legal_due_date_from_the_clock(client, road_type, frozen):
    receipt = follow_receipt(client, file_via_web(client, road_type))
    html = receipt.content.decode()
    complaint = Complaint.objects.get()
    # 7 days from Tuesday 10 March 2026 10:00, first day included, Saturdays and
    # Sundays left out: Wednesday 18 March at the end of the working day.
    assert complaint.due_at == datetime(2026, 3, 18, 18, 0, tzinfo=SEOUL)
    assert "2026년 3월 18일(수요일) 18:00" in html
    assert "2026년 3월 10일(화요일) 10:00" in html
    # The steps that fit inside the 7-day period (the C2 procedure is for service
    # complaints), and the contact.
    assert "조사결과 확인" not in html and "(3근무일 이내)" not in html
    for text in (
        "담당자 배정",
        "(1근무일 이내)",
        "사실 확인·조사",
        "(2근무일 이내)",
        "결과 통보",
        "(법정처리기한까지)",
    ):
        assert text in html
    assert "건설과" in html and "031-839-2300" in html
    assert 'id="print-button"' in html and "Ctrl 키와 P 키" in html


def test_O2_receipt_date_in_english(client, road_type, frozen):
    receipt = follow_receipt(client, file_via_web(client, road_type))
    client.cookies["django_language"] = "en"
    html = client.get(receipt.request["PATH_INFO"]).content.decode()
    assert 'lang="en"' in html
    assert "Wed, 18 Mar 2026 18:00" in html


def test_V1_english_receipt_and_sms_name_the_department_in_english(client, road_type, frozen):
    client.cookies["django_language"] = "en"
    html = follow_receipt(client, file_via_web(client, road_type, sms_consent="on")).text
    assert "Construction Division" in html and "건설과" not in html
    sms = SmsMessage.objects.get()
    assert sms.language == "en"
    assert "Construction Division" in sms.body and "건설과" not in sms.body
    assert "Wed 18 Mar 2026, 18:00" in sms.body  # the due time in words, not 2026.03.18


def test_V1_korean_receipt_names_the_department_in_korean(client, road_type, frozen):
    html = follow_receipt(client, file_via_web(client, road_type, sms_consent="on")).text
    assert "건설과" in html and "Construction Division" not in html
    sms = SmsMessage.objects.get()
    assert sms.language == "ko" and "건설과" in sms.body
    assert "2026년 3월 18일(수요일) 18:00" in sms.body


@pytest.mark.parametrize(
    ("overrides", "english", "korean"),
    [
        ({"phone": "010-12"}, "There is 1 thing to fix", "고쳐야 할 곳이 1군데 있습니다"),
        (
            {"phone": "010-12", "title": ""},
            "There are 2 things to fix",
            "고쳐야 할 곳이 2군데 있습니다",
        ),
    ],
)
def test_C1_error_summary_counts_in_words_that_agree(client, road_type, overrides, english, korean):
    html = file_via_web(client, road_type, **overrides).text
    assert korean in html
    client.cookies["django_language"] = "en"
    html = file_via_web(client, road_type, **overrides).text
    assert english in html and "1 things" not in html


def test_O4_receipt_sms_with_tracking_link_when_consented(client, road_type, frozen, settings):
    settings.SITE_URL = "https://minwon.yeoncheon.go.kr"
    follow_receipt(client, file_via_web(client, road_type, sms_consent="on"))
    complaint = Complaint.objects.get()
    sms = SmsMessage.objects.get(to="+821012345678")
    assert complaint.receipt_number in sms.body
    link = tracking.tracking_url(complaint)
    assert link.startswith("https://minwon.yeoncheon.go.kr/complaints/track/")
    assert link in sms.body
    assert sms.key == f"complaint:{complaint.pk}:receipt"
    # The link opens the tracking page without typing.
    page = client.get(link.removeprefix("https://minwon.yeoncheon.go.kr"))
    assert page.status_code == 200
    assert complaint.receipt_number in page.content.decode()


def test_O4_no_sms_without_consent(client, road_type, frozen):
    follow_receipt(client, file_via_web(client, road_type, sms_consent=None))
    assert Complaint.objects.get().sms_consent is False
    assert not SmsMessage.objects.exists()


def test_O4_no_sms_for_a_period_under_five_days(client, short_type, frozen):
    follow_receipt(client, file_via_web(client, short_type, sms_consent="on"))
    assert not SmsMessage.objects.exists()


def test_V6_priority_options_are_stored(client, road_type, frozen):
    response = file_via_web(
        client,
        road_type,
        priority_reasons=["elderly", "disability", "pregnancy", "infant", "official_error"],
        visit_count="3",
    )
    follow_receipt(client, response)
    complaint = Complaint.objects.get()
    assert complaint.priority_reasons == [
        "elderly",
        "disability",
        "pregnancy",
        "infant",
        "official_error",
    ]
    assert complaint.is_priority is True
    assert complaint.visit_count == 3
    assert "3번째 방문" in complaint.events.get().note


def test_V6_no_priority_by_default(client, road_type, frozen):
    follow_receipt(client, file_via_web(client, road_type))
    complaint = Complaint.objects.get()
    assert complaint.priority_reasons == []
    assert complaint.is_priority is False
    assert complaint.visit_count == 1


def test_V6_official_error_needs_a_second_visit(client, road_type):
    before = counts()
    response = file_via_web(client, road_type, priority_reasons=["official_error"], visit_count="1")
    assert response.status_code == 200
    assert "방문 횟수를 2 이상으로" in response.content.decode()
    assert counts() == before


def test_attachments_are_stored_privately(client, road_type, frozen):
    files = [SimpleUploadedFile(f"사진{i}.png", PNG, content_type="image/png") for i in range(2)]
    follow_receipt(client, file_via_web(client, road_type, attachments=files))
    stored = list(Attachment.objects.order_by("id"))
    assert [a.original_name for a in stored] == ["사진0.png", "사진1.png"]
    assert all(a.extension == "png" for a in stored)


# --- K3: exclusions --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (
            {"filer_type": "agency", "acts_as_private_party": "no"},
            "행정기관이나 공공단체가 특정한 행위를 요구하는 신청은 민원이 아닙니다.",
        ),
        (
            {"filer_type": "public_body", "acts_as_private_party": "no"},
            "행정기관이나 공공단체가 특정한 행위를 요구하는 신청은 민원이 아닙니다.",
        ),
        (
            {"filer_type": "contractor", "about_contract": "yes"},
            "연천군과 사법상 계약을 맺은 상대방이 그 계약에 관하여 요구하는 신청은",
        ),
        ({"name": "익명"}, "보내는 사람의 이름이나 주소가 없거나 분명하지 않은 신청은"),
        ({"address": "-"}, "보내는 사람의 이름이나 주소가 없거나 분명하지 않은 신청은"),
    ],
    ids=["agency", "public-body", "contract-party", "unclear-name", "unclear-address"],
)
def test_K3_exclusion_refused_with_reason_law_and_where_to_turn(
    client, road_type, overrides, reason
):
    token = fresh_token(client, road_type)
    files = [SimpleUploadedFile("사진.png", PNG, content_type="image/png")]
    before = counts()
    response = client.post(form_url(road_type), filing_data(token, attachments=files, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "민원으로 접수할 수 없습니다" in html
    assert reason in html
    assert "민원 처리에 관한 법률 제2조제2호 단서" in html
    assert "이렇게 해 주세요" in html
    assert "이 신청은 저장되지 않았습니다" in html
    assert counts() == before
    # The citizen's answers are kept for a corrected submission.
    assert response.context["form"]["title"].value() == "도로가 패였습니다"


@pytest.mark.parametrize(
    "overrides",
    [
        {"filer_type": "agency", "acts_as_private_party": "yes"},
        {"filer_type": "contractor", "about_contract": "no"},
        {"filer_type": "company"},
    ],
    ids=["agency-as-private-party", "contractor-other-matter", "company"],
)
def test_K3_private_capacity_is_a_complaint(client, road_type, overrides, frozen):
    follow_receipt(client, file_via_web(client, road_type, **overrides))
    assert Complaint.objects.get().filer_type == overrides["filer_type"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"filer_type": "agency"}, "acts_as_private_party"),
        ({"filer_type": "public_body"}, "acts_as_private_party"),
        ({"filer_type": "contractor"}, "about_contract"),
    ],
)
def test_K3_follow_up_question_must_be_answered(client, road_type, overrides, field):
    before = counts()
    response = file_via_web(client, road_type, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'href="#id_{field}_0"' in response.content.decode()
    assert counts() == before


# --- Double submission and the form token ------------------------------------------
def test_double_submission_files_once_and_shows_the_first_receipt(client, road_type, frozen):
    token = fresh_token(client, road_type)
    first = client.post(form_url(road_type), filing_data(token))
    second = client.post(form_url(road_type), filing_data(token, title="다시 보냄"))
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Complaint.objects.count() == 1
    assert FormToken.objects.count() == 1
    page = client.get(second["Location"])
    assert "이 신청서는 이미 접수되었습니다" in page.content.decode()


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda: "", id="empty"),
        pytest.param(lambda: "forged", id="forged"),
        pytest.param(lambda: "abc:1tAAAA:bad", id="bad-signature"),
        # Signed when the test runs, not at collection: every xdist worker collects alike.
        pytest.param(lambda: tracking.new_form_token() + "x", id="tampered"),
    ],
)
def test_forged_form_token_is_refused_with_a_clear_message(client, road_type, make_token, frozen):
    token = make_token()
    before = counts()
    response = client.post(form_url(road_type), filing_data(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "신청서가 올바르지 않거나 너무 오래 열려 있었습니다" in html
    assert counts() == before
    # A fresh, valid token comes back with the form: the next press files.
    new_token = response.context["form"]["token"].value()
    assert tracking.nonce_from_form_token(new_token)
    follow_receipt(client, client.post(form_url(road_type), filing_data(new_token)))
    assert Complaint.objects.count() == 1


def test_token_made_for_another_purpose_is_refused(client, road_type, frozen):
    follow_receipt(client, file_via_web(client, road_type))
    complaint = Complaint.objects.get()
    before = counts()
    response = client.post(form_url(road_type), filing_data(tracking.tracking_token(complaint)))
    assert "신청서가 올바르지 않거나" in response.content.decode()
    assert counts() == before


def test_expired_form_token_is_refused(client, road_type):
    with time_machine.travel(NOW, tick=False):
        token = fresh_token(client, road_type)
    with time_machine.travel(NOW.replace(day=14), tick=False):
        response = client.post(form_url(road_type), filing_data(token))
    assert "너무 오래 열려 있었습니다" in response.content.decode()
    assert not Complaint.objects.exists()


# --- The receipt link ------------------------------------------------------------------
def test_receipt_link_is_signed_and_lasts_thirty_days(client, road_type):
    with time_machine.travel(NOW, tick=False):
        response = file_via_web(client, road_type)
        location = response["Location"]
        complaint = Complaint.objects.get()
        assert client.get(location).status_code == 200
        token = location.split("/")[-2]
        forged = token.replace(f"{complaint.pk}:", f"{complaint.pk + 1}:", 1)
        assert client.get(reverse("complaints:receipt", args=[forged])).status_code == 404
        tracking_token = tracking.tracking_token(complaint)
        assert client.get(reverse("complaints:receipt", args=[tracking_token])).status_code == 404
    with time_machine.travel(NOW.replace(month=4, day=8), tick=False):
        assert client.get(location).status_code == 200
    with time_machine.travel(NOW.replace(month=4, day=10), tick=False):
        assert client.get(location).status_code == 404


def test_receipt_is_not_cached(client, road_type, frozen):
    receipt = follow_receipt(client, file_via_web(client, road_type))
    assert "no-store" in receipt["Cache-Control"]


# --- Bad input -------------------------------------------------------------------------
BIG = 10 * 1024 * 1024 + 1


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {
                "filer_type": "",
                "name": "",
                "phone": "",
                "email": "",
                "address": "",
                "title": "",
                "content": "",
                "location_text": "",
                "sms_consent": None,
                "lives_in_county": None,
            },
            {
                "filer_type": "누가 신청하는지 골라 주세요.",
                "name": "이름을 적어 주세요.",
                "phone": "휴대전화 번호를 적어 주세요.",
                "address": "주소를 적어 주세요.",
                "title": "제목을 적어 주세요.",
                "content": "내용을 적어 주세요.",
            },
        ),
        ({"title": "가" * 201}, {"title": "200"}),
        ({"content": "가" * 4001}, {"content": "4000"}),
        ({"name": "가" * 51}, {"name": "50"}),
        ({"address": "가" * 201}, {"address": "200"}),
        ({"location_text": "가" * 201}, {"location_text": "200"}),
        ({"phone": "12345"}, {"phone": "전화번호 형식이 올바르지 않습니다"}),
        ({"phone": "010-1234-5678" * 5}, {"phone": ""}),
        ({"email": "not-an-email"}, {"email": "메일 주소 형식이 올바르지 않습니다"}),
        ({"visit_count": "abc"}, {"visit_count": "숫자로"}),
        ({"visit_count": "100"}, {"visit_count": "99"}),
        ({"filer_type": "alien"}, {"filer_type": ""}),
        ({"priority_reasons": ["vip"]}, {"priority_reasons": ""}),
        ({"acts_as_private_party": "maybe", "filer_type": "agency"}, {"acts_as_private_party": ""}),
        ({"content": "널\x00문자"}, {"content": ""}),
        ({"title": "   "}, {"title": "제목을 적어 주세요."}),
    ],
    ids=[
        "all-empty",
        "title-too-long",
        "content-too-long",
        "name-too-long",
        "address-too-long",
        "location-too-long",
        "phone-format",
        "phone-too-long",
        "email-format",
        "visit-count-text",
        "visit-count-too-big",
        "filer-type-unknown",
        "priority-unknown",
        "yes-no-unknown",
        "null-character",
        "blank-title",
    ],
)
def test_bad_input_gets_messages_tied_to_fields_and_stores_nothing(
    client, road_type, overrides, errors
):
    token = fresh_token(client, road_type)
    before = counts()
    response = client.post(form_url(road_type), filing_data(token, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    html = response.content.decode()
    assert 'id="error-summary"' in html
    for field, message in errors.items():
        assert field in form.errors, (field, form.errors)
        assert message in " ".join(form.errors[field])
        assert f'id="error_1_id_{field}' in html or f"#id_{field}" in html
    assert counts() == before


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("가짜.pdf", b"this is plain text, not a pdf")], "올릴 수 없는 파일 형식입니다"),
        ([("script.png", b"<script>alert(1)</script>")], "올릴 수 없는 파일 형식입니다"),
        ([("빈파일.png", b"")], ""),
        ([("큰파일.png", PNG + b"\x00" * (BIG - len(PNG)))], "10MB를 넘을 수 없습니다"),
        ([(f"{i}.png", PNG) for i in range(6)], "5개까지"),
    ],
    ids=["text-as-pdf", "script-as-png", "empty", "oversized", "too-many"],
)
def test_bad_files_get_a_message_and_nothing_is_stored(client, road_type, files, message):
    token = fresh_token(client, road_type)
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    before = counts()
    response = client.post(form_url(road_type), filing_data(token, attachments=uploads))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "attachments" in errors
    assert message in " ".join(errors["attachments"])
    assert 'href="#id_attachments"' in response.content.decode()
    assert counts() == before


def test_html_and_script_are_stored_as_text_and_shown_escaped(client, road_type, frozen):
    script = "<script>alert('x')</script><b>굵게</b>"
    receipt = follow_receipt(
        client,
        file_via_web(client, road_type, title=script, content=script, location_text=script),
    )
    complaint = Complaint.objects.get()
    assert complaint.title == script
    assert complaint.content == script
    html = receipt.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>굵게</b>" not in html


def test_get_only_and_post_methods(client, road_type):
    assert client.put(form_url(road_type)).status_code == 405
    assert client.post(reverse("complaints:new")).status_code == 405


def test_filing_post_is_rate_limited(client, road_type, settings, frozen):
    settings.PUBLIC_POST_RATE = "2/m"
    token = fresh_token(client, road_type)
    for _ in range(2):
        response = client.post(form_url(road_type), filing_data(token, title=""))
        assert response.status_code == 200
    blocked = client.post(form_url(road_type), filing_data(token))
    assert blocked.status_code == 429
    assert "요청이 너무 많습니다" in blocked.content.decode()
    assert not Complaint.objects.exists()
    # Reading the form is not limited.
    assert client.get(form_url(road_type)).status_code == 200


# --- Query counts ----------------------------------------------------------------------
@pytest.mark.parametrize("existing", [3, 30])
def test_filing_post_query_count_does_not_grow(
    client, road_type, existing, django_assert_max_num_queries, frozen
):
    from tests.complaints.factories import file_one

    for i in range(existing):
        file_one(road_type, phone=f"010-2000-{i:04d}")
    token = fresh_token(client, road_type)
    data = filing_data(token)
    with django_assert_max_num_queries(FILING_QUERIES):
        response = client.post(form_url(road_type), data)
    assert response.status_code == 302


# 12 statements, the savepoints the test's own transaction adds included (in production
# 10 between BEGIN and COMMIT), plus one when the working calendar reloads its closures
# after another test changed them.
FILING_QUERIES = 13


# --- Racing submissions (PostgreSQL: real row locks and a unique index) --------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_submissions_of_one_form_file_once(road_type):
    import threading

    from django.db import connection

    from complaints.services import TokenAlreadyUsed, file_once
    from tests.complaints.factories import intake_for

    barrier = threading.Barrier(2)
    outcomes: list = []

    def submit():
        try:
            barrier.wait(timeout=10)
            outcomes.append(("filed", file_once("race", intake_for(road_type), now=NOW).pk))
        except TokenAlreadyUsed as used:
            outcomes.append(("used", used.complaint.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(kind for kind, _pk in outcomes) == ["filed", "used"]
    assert len({pk for _kind, pk in outcomes}) == 1
    assert Complaint.objects.count() == 1
    assert FormToken.objects.count() == 1
    # The loser's receipt number was given back: numbers stay gap-free.
    assert ReceiptCounter.objects.get().last == 1


# --- The kept form page (pagecache/__init__.py) -----------------------------------
def test_O2_every_visitor_of_the_kept_form_gets_a_token_of_their_own(
    client, road_type, frozen, django_assert_num_queries
):
    first = fresh_token(client, road_type)
    with django_assert_num_queries(0):  # the kept page: no type lookup, no rendering
        second = fresh_token(Client(), road_type)
    assert first != second
    assert "__portal_" not in client.get(form_url(road_type)).text
    # Both are real one-time tokens: each files once.
    assert client.post(form_url(road_type), filing_data(first)).status_code == 302
    assert Client().post(form_url(road_type), filing_data(second)).status_code == 302
    assert Complaint.objects.count() == 2


def test_O2_a_kept_form_is_dropped_when_its_type_changes(client, road_type, frozen):
    assert "포트홀" not in client.get(form_url(road_type)).text
    road_type.name = "포트홀 신고"
    road_type.save()
    assert "포트홀 신고" in client.get(form_url(road_type)).text


@pytest.mark.postgres
def test_O4_a_receipt_sms_failing_in_the_database_never_undoes_the_filing(
    client, road_type, monkeypatch
):
    """The outbox insert fails with a real database error (PostgreSQL then refuses every
    statement until the savepoint is rolled back): the filing is still stored and
    answered, with no SMS row, since the notice's one write has its own savepoint."""
    from django.db import connection

    from notifications.models import SmsMessage

    def failing_create(**fields):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    token = fresh_token(client, road_type)
    monkeypatch.setattr(SmsMessage.objects, "create", failing_create)
    response = client.post(form_url(road_type), filing_data(token))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.events.count() == 1
    assert not SmsMessage.objects.exists()
