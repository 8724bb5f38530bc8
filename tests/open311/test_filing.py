"""POST requests: filing through the API is filing like the web form (C3 K3 O2 O4)."""

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from complaints.models import Channel, Complaint, StageEvent
from complaints.services import file_complaint
from notifications.models import SmsMessage
from open311.models import ApiKey, Submission
from open311.services import hash_key, revoke_keys
from tests.complaints.factories import NOW, intake_for
from tests.open311.conftest import errors_of, fields_for, post, xml

pytestmark = pytest.mark.django_db
FORMATS = ["json", "xml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_C3_post_files_a_complaint_on_the_open311_channel(api, road_type, api_key, fmt):
    response = post(api, fields_for(road_type, api_key), fmt)
    assert response.status_code == 201, response.content
    if fmt == "json":
        (answer,) = response.json()
        receipt, token, notice = (
            answer["service_request_id"],
            answer["token"],
            answer["service_notice"],
        )
    else:
        root = xml(response)
        assert root.tag == "service_requests"
        request = root.find("request")
        receipt = request.findtext("service_request_id")
        token = request.findtext("token")
        notice = request.findtext("service_notice")
    complaint = Complaint.objects.get(receipt_number=receipt)
    assert complaint.channel == Channel.OPEN311
    assert complaint.complainant_name == "홍길동"
    assert complaint.phone == "+821012345678"
    assert complaint.address == "경기도 연천군 연천읍 차탄로 1"
    assert complaint.location_text == "경기도 연천군 연천읍 차탄리 120"
    assert complaint.title == "차탄리 앞 도로에 큰 구멍이 있습니다."
    assert complaint.content.startswith("차탄리 앞 도로에")
    assert complaint.lives_in_county is True
    assert complaint.department == road_type.handling_department
    submission = Submission.objects.get(complaint=complaint)
    assert submission.token == token
    assert str(submission.latitude) == "38.096000"
    due = timezone.localtime(complaint.due_at).strftime("%Y-%m-%d %H:%M")
    assert due in notice
    assert receipt in notice
    assert "/complaints/track/" in notice


def test_O4_sms_row_queued_for_a_filing_through_the_api(
    api, road_type, api_key, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, fields_for(road_type, api_key))
    assert response.status_code == 201
    receipt = response.json()[0]["service_request_id"]
    complaint = Complaint.objects.get(receipt_number=receipt)
    sms = SmsMessage.objects.get(key=f"complaint:{complaint.pk}:receipt")
    assert sms.to == "+821012345678"
    assert receipt in sms.body


def test_O4_no_sms_without_consent(api, road_type, api_key):
    response = post(api, fields_for(road_type, api_key, **{"attribute[sms_consent]": None}))
    assert response.status_code == 201
    assert not SmsMessage.objects.exists()


def test_priority_reasons_make_a_priority_filing(api, road_type, api_key):
    fields = fields_for(road_type, api_key)
    fields["attribute[priority_reasons][]"] = ["elderly", "disability"]
    response = post(api, fields)
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.is_priority
    assert complaint.priority_reasons == ["elderly", "disability"]


def test_address_string_alone_is_a_location(api, road_type, api_key):
    response = post(api, fields_for(road_type, api_key, lat=None, long=None))
    assert response.status_code == 201
    (data,) = api.get(
        f"/open311/v2/requests/{response.json()[0]['service_request_id']}.json"
    ).json()
    assert data["lat"] is None


def test_coordinates_alone_are_a_location(api, road_type, api_key):
    response = post(api, fields_for(road_type, api_key, address_string=None))
    assert response.status_code == 201
    assert Complaint.objects.get().location_text == "38.096000, 127.075000"


# --- K3: refused with the reason, nothing stored -------------------------------------------
K3_CASES = {
    "agency": ({"attribute[filer_type]": "agency"}, "행정기관이나 공공단체"),
    "contract": (
        {"attribute[filer_type]": "contractor", "attribute[about_contract]": "true"},
        "계약",
    ),
    "unclear-sender": ({"first_name": "명", "last_name": "익"}, "이름이나 주소"),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", list(K3_CASES))
def test_K3_refusals_come_back_as_400_and_store_nothing(api, road_type, api_key, case, fmt):
    overrides, reason = K3_CASES[case]
    response = post(api, fields_for(road_type, api_key, **overrides), fmt)
    assert response.status_code == 400
    ((code, description),) = errors_of(response, fmt)
    assert code == 400
    assert reason in description
    assert "민원 처리에 관한 법률" in description
    assert not Complaint.objects.exists()
    assert not StageEvent.objects.exists()
    assert not Submission.objects.exists()
    assert not SmsMessage.objects.exists()


def test_K3_placeholder_address_is_an_unclear_sender(api, road_type, api_key):
    response = post(api, fields_for(road_type, api_key, **{"attribute[contact_address]": "-"}))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_K3_agency_acting_as_private_party_is_accepted(api, road_type, api_key):
    fields = fields_for(
        road_type,
        api_key,
        **{"attribute[filer_type]": "agency", "attribute[acts_as_private_party]": "true"},
    )
    assert post(api, fields).status_code == 201


def test_K3_contractor_not_about_the_contract_is_accepted(api, road_type, api_key):
    fields = fields_for(road_type, api_key, **{"attribute[filer_type]": "contractor"})
    assert post(api, fields).status_code == 201


# --- Errors --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_key_is_403(api, road_type, fmt):
    response = post(api, fields_for(road_type, None), fmt)
    assert response.status_code == 403
    assert errors_of(response, fmt)[0][0] == 403
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_bad_key_is_403(api, road_type, fmt):
    response = post(api, fields_for(road_type, "yc311_not-a-key"), fmt)
    assert response.status_code == 403
    assert errors_of(response, fmt)[0][0] == 403


@pytest.mark.parametrize("fmt", FORMATS)
def test_revoked_key_is_403(api, road_type, key_pair, fmt):
    key, raw = key_pair
    assert revoke_keys(ApiKey.objects.filter(pk=key.pk), now=timezone.now()) == 1
    response = post(api, fields_for(road_type, raw), fmt)
    assert response.status_code == 403
    assert "폐기" in errors_of(response, fmt)[0][1]
    assert not Complaint.objects.exists()


def test_bad_key_on_a_read_is_403(api):
    assert api.get("/open311/v2/services.json", {"api_key": "wrong"}).status_code == 403


def test_good_key_on_a_read_is_accepted(api, api_key):
    assert api.get("/open311/v2/services.json", {"api_key": api_key}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_on_post_is_404(api, road_type, api_key, fmt):
    response = post(api, fields_for(road_type, api_key, service_code="no-such"), fmt)
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


LONG = "가" * 4001
BAD_INPUT = {
    "missing-location": {"lat": None, "long": None, "address_string": None},
    "lat-without-long": {"long": None, "address_string": None},
    "lat-out-of-range": {"lat": "91"},
    "lat-not-a-number": {"lat": "NaN"},
    "too-long-description": {"description": LONG},
    "html-description": {"description": "도로가 <b>깨졌어요</b>"},
    "html-comment": {"description": "<!-- x --> 도로"},
    "script": {"description": "<script>alert(1)</script>"},
    "empty-description": {"description": ""},
    "bad-phone": {"phone": "12"},
    "bad-email": {"email": "not-an-email"},
    "bad-media-url": {"media_url": "javascript:alert(1)"},
    "missing-service-code": {"service_code": None},
    "missing-filer-type": {"attribute[filer_type]": None},
    "bad-filer-type": {"attribute[filer_type]": "alien"},
    "unknown-attribute": {"attribute[shoe_size]": "270"},
    "bad-yes-no": {"attribute[lives_in_county]": "maybe"},
    "nul-character": {"first_name": "길\x00동"},
    "long-address-string": {"address_string": "가" * 201},
    "other-jurisdiction": {"jurisdiction_id": "seoul.go.kr"},
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_an_error_and_stores_nothing(api, road_type, api_key, case, fmt):
    response = post(api, fields_for(road_type, api_key, **BAD_INPUT[case]), fmt)
    expected = 404 if case == "other-jurisdiction" else 400
    assert response.status_code == expected, response.content
    errors = errors_of(response, fmt)
    assert errors and all(code == expected for code, _text in errors)
    assert all(text for _code, text in errors)
    assert not Complaint.objects.exists()


def test_description_of_exactly_4000_characters_is_accepted(api, road_type, api_key):
    response = post(api, fields_for(road_type, api_key, description="가" * 4000))
    assert response.status_code == 201


def test_less_than_sign_in_plain_text_is_not_markup(api, road_type, api_key):
    response = post(api, fields_for(road_type, api_key, description="구멍 지름 < 1m, 깊이 > 10cm"))
    assert response.status_code == 201


def test_errors_in_english_with_accept_language(api, road_type):
    response = post(api, fields_for(road_type, None), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "API key" in response.json()[0]["description"]


def test_unsupported_method_is_405_with_an_error_list(api, api_key):
    response = api.delete("/open311/v2/requests.json")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert response.json()[0]["code"] == 405
    assert api.post("/open311/v2/services.xml", {"api_key": api_key}).status_code == 405


def test_unknown_path_and_format_are_404_error_lists(api):
    response = api.get("/open311/v2/services.yaml")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
    assert xml(api.get("/open311/v2/nothing.xml")).tag == "errors"


# --- Same as a web filing ------------------------------------------------------------------
def test_C3_api_filing_is_in_the_clerks_queue_and_tracked_like_a_web_filing(
    api, road_type, api_key, roads_clerk, other_clerk
):
    with time_machine.travel(NOW, tick=False):
        response = post(api, fields_for(road_type, api_key))
        web = file_complaint(intake_for(road_type), by=None, now=timezone.now())
    assert response.status_code == 201
    via_api = Complaint.objects.get(receipt_number=response.json()[0]["service_request_id"])
    assert list(Complaint.objects.for_queue(roads_clerk).filter(pk=via_api.pk)) == [via_api]
    assert not Complaint.objects.for_queue(other_clerk).filter(pk=via_api.pk).exists()
    for field in ("stage", "due_at", "stage_due_at", "received_at", "department_id", "owner_id"):
        assert getattr(via_api, field) == getattr(web, field), field
    events = [
        (e.action, e.from_stage, e.to_stage, e.at, e.due_at)
        for e in StageEvent.objects.filter(complaint=via_api)
    ]
    web_events = [
        (e.action, e.from_stage, e.to_stage, e.at, e.due_at)
        for e in StageEvent.objects.filter(complaint=web)
    ]
    assert events == web_events
    # The citizen's tracking: found by receipt number and phone, same timeline and page.
    from complaints import tracking

    assert tracking.find_complaint(via_api.receipt_number, "+821012345678") == via_api
    assert [
        (e.action, e.to_stage, e.at, e.due_at) for e in tracking.citizen_events(via_api.pk)
    ] == [(e.action, e.to_stage, e.at, e.due_at) for e in tracking.citizen_events(web.pk)]
    page = api.get(tracking.tracking_path(via_api))
    assert page.status_code == 200
    assert via_api.receipt_number in page.content.decode()


# --- Keys ----------------------------------------------------------------------------------
def test_open311_key_command_prints_the_key_once_on_the_last_line(capsys, road_type, api):
    call_command("open311_key", "my-app", "--contact", "dev@example.com")
    lines = capsys.readouterr().out.strip().splitlines()
    raw = lines[-1]
    key = ApiKey.objects.get(name="my-app")
    assert key.key_hash == hash_key(raw)
    assert raw.startswith(key.prefix)
    assert raw not in {key.prefix, key.key_hash, key.name, key.contact}
    assert post(api, fields_for(road_type, raw)).status_code == 201
    assert Submission.objects.get().api_key == key


def test_key_rate_limit_answers_429_with_an_error_list(api, road_type, api_key, settings):
    settings.OPEN311_KEY_RATE = "2/h"
    statuses = [
        api.get("/open311/v2/services.json", {"api_key": api_key}).status_code for _n in range(3)
    ]
    assert statuses == [200, 200, 429]
    response = post(api, fields_for(road_type, api_key), "xml")
    assert response.status_code == 429
    assert xml(response).find("error").findtext("code") == "429"
    assert not Complaint.objects.exists()


def test_keyless_reads_are_limited_per_address(api, settings):
    import secrets

    settings.OPEN311_KEY_RATE = "1/h"
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    first = api.get("/open311/v2/services.json", REMOTE_ADDR=address)
    second = api.get("/open311/v2/services.json", REMOTE_ADDR=address)
    assert (first.status_code, second.status_code) == (200, 429)
    assert second.json()[0]["code"] == 429


def test_cache_outage_lets_requests_through_uncounted(api, road_type, api_key, settings):
    """The rate limit counts on the shared cache; when it cannot count (an outage), the
    API answers and files as usual rather than refusing with 429: an outage never stops
    a filing (RATELIMIT_FAIL_OPEN)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    settings.OPEN311_KEY_RATE = "1/m"
    for _ in range(2):
        assert api.get("/open311/v2/services.json").status_code == 200
    for _ in range(2):
        filing = post(api, fields_for(road_type, api_key), "xml")
        assert filing.status_code == 201, filing.content[:300]
    assert Complaint.objects.count() == 2


def test_unreadable_body_is_a_400_error_list(api, road_type, api_key, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = fields_for(road_type, api_key)
    response = post(api, fields)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    broken = api.post(
        "/open311/v2/requests.xml",
        data=b"--x\r\nbroken",
        content_type="multipart/form-data; boundary=",
    )
    assert broken.status_code == 400
    assert xml(broken).tag == "errors"
    assert not Complaint.objects.exists()
