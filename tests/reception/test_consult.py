"""Pre-consultation (V5): public form, routing, e-mail to staff, SMS with consent,
call-back tracking, bad input and rate limits."""

import pytest
from django.urls import reverse

from notifications.models import EmailMessage, SmsMessage
from reception import services
from reception.models import CallbackState, Consultation
from staff_directory.models import StaffMember

pytestmark = pytest.mark.django_db


def consult_data(**overrides):
    data = {
        "name": "김민원",
        "phone": "010-2222-3333",
        "description": "건축 허가 서류를 미리 여쭙고 싶습니다.",
        "department": "unknown",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def staffed(lead_department, verifier, roads_clerk, roads_head):
    """Roads has a head with an e-mail; the lead department only members."""
    StaffMember.objects.filter(user=roads_head).update(email="head@yeoncheon.go.kr")
    return lead_department


def test_V5_consult_page_and_unknown_department_goes_to_lead(
    client, staffed, django_capture_on_commit_callbacks
):
    page = client.get(reverse("consult:new"))
    assert page.status_code == 200
    assert "잘 모르겠어요" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consult:new"), consult_data())
    assert response.status_code == 302
    item = Consultation.objects.get()
    assert item.department == staffed
    assert item.chosen_department is None
    assert item.phone == "+821022223333"
    assert item.callback_state == CallbackState.PENDING
    assert item.callback_due_at is not None
    # The lead department has no head: its members with an e-mail are told at once.
    assert list(EmailMessage.objects.values_list("to", flat=True)) == ["verifier@yeoncheon.go.kr"]
    assert "김민원" in EmailMessage.objects.get().body
    # No consent, no SMS to the citizen.
    assert not SmsMessage.objects.exists()
    done = client.get(response["Location"])
    assert "상담 신청이 접수되었습니다" in done.content.decode()
    assert "민원봉사과" in done.content.decode()


def test_V5_known_department_emails_its_head_and_sms_with_consent(
    client, staffed, roads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consult:new"),
            consult_data(department=str(roads.pk), sms_consent="on"),
        )
    assert response.status_code == 302
    item = Consultation.objects.get()
    assert item.department == roads and item.chosen_department == roads
    assert list(EmailMessage.objects.values_list("to", flat=True)) == ["head@yeoncheon.go.kr"]
    sms = SmsMessage.objects.get()
    assert sms.to == "+821022223333" and "건설과" in sms.body
    assert "접수 확인 문자를" in client.get(response["Location"]).content.decode()


def test_V5_done_page_without_a_request_goes_back_to_form(client, db):
    response = client.get(reverse("consult:done"))
    assert response.status_code == 302 and response["Location"] == reverse("consult:new")


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"phone": ""},
        {"description": ""},
        {"name": "가" * 31},
        {"description": "가" * 1001},
        {"phone": "전화번호아님"},
        {"phone": "1" * 60},
        {"department": "999999"},
        {"department": "x' OR 1=1"},
    ],
)
def test_V5_bad_input_gets_a_message(client, staffed, overrides):
    response = client.post(reverse("consult:new"), consult_data(**overrides))
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Consultation.objects.exists()


def test_V5_script_is_stored_as_text_and_shown_escaped(client, client_for, staffed, verifier):
    client.post(reverse("consult:new"), consult_data(description="<script>alert(1)</script>"))
    item = Consultation.objects.get()
    assert item.description == "<script>alert(1)</script>"
    page = client_for(verifier).get(reverse("reception:consultation_detail", args=[item.pk]))
    assert page.status_code == 200
    assert b"<script>alert(1)" not in page.content and b"&lt;script&gt;" in page.content


def test_V5_spam_flood_gets_429(client, staffed, settings):
    limit = int(settings.PUBLIC_POST_RATE.split("/")[0])
    for _ in range(limit):
        assert client.post(reverse("consult:new"), consult_data(name="")).status_code == 200
    response = client.post(reverse("consult:new"), consult_data())
    assert response.status_code == 429
    assert "요청이 너무 많습니다" in response.content.decode()
    # Reading the form is not limited.
    assert client.get(reverse("consult:new")).status_code == 200


def test_V5_no_lead_department_is_a_message_not_a_500(client, roads_clerk):
    response = client.post(reverse("consult:new"), consult_data())
    assert response.status_code == 200
    assert "주관부서가 정해지지 않아" in response.content.decode()


def test_V5_callback_tracked_and_scoped_to_department(
    client, client_for, outsider, staffed, roads, roads_clerk, other_clerk, now
):
    item = services.request_consultation(
        name="김민원",
        phone="+821022223333",
        description="문의",
        department=roads,
        sms_consent=False,
        now=now,
    )
    detail = reverse("reception:consultation_detail", args=[item.pk])
    close = reverse("reception:consultation_close", args=[item.pk])
    assert client.get(detail).status_code == 302
    assert client_for(outsider).get(detail).status_code == 403
    assert client_for(other_clerk).get(detail).status_code == 403
    assert client_for(roads_clerk).get(detail).status_code == 200
    assert client_for(roads_clerk).get(close).status_code == 405
    assert client_for(other_clerk).post(close, {"state": "done"}).status_code == 403
    response = client_for(roads_clerk).post(close, {"state": "done", "note": "안내 완료"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.callback_state == CallbackState.DONE and item.closed_by == roads_clerk
    desk = client_for(roads_clerk).get(reverse("reception:desk")).content.decode()
    assert "기다리는 사전상담 요청이 없습니다" in desk


def test_V5_open_consultation_on_the_department_desk(client_for, staffed, roads, roads_clerk, now):
    services.request_consultation(
        name="박상담",
        phone="+821022223333",
        description="문의",
        department=roads,
        sms_consent=False,
        now=now,
    )
    assert "박상담" in client_for(roads_clerk).get(reverse("reception:desk")).content.decode()


def test_V5_consultation_is_kept_while_the_cache_is_down(client, staffed, settings):
    """A Redis outage: the rate limit cannot count and lets the request through
    (RATELIMIT_FAIL_OPEN), so the citizen is never told "too many requests"."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    settings.PUBLIC_POST_RATE = "1/m"
    for phone in ("010-2222-3333", "010-4444-5555"):
        response = client.post(reverse("consult:new"), consult_data(phone=phone))
        assert response.status_code == 302
    assert Consultation.objects.count() == 2
