"""Discovery, services, service definitions, request lists and tokens, in JSON and XML."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import ComplaintType, FilerType
from open311.renderers import iso
from tests.complaints.factories import ComplaintTypeFactory, file_one
from tests.open311.conftest import BASE, errors_of, fields_for, post, xml

pytestmark = pytest.mark.django_db
FORMATS = ["json", "xml"]


def test_discovery_json(api):
    response = api.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    data = response.json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    endpoint = data["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert endpoint["changeset"].endswith("+09:00")


def test_discovery_xml(api):
    root = xml(api.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification").startswith("http://wiki.open311.org/")
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_lists_only_types_open_to_outside_filings(api, road_type, short_type):
    ComplaintTypeFactory(code="closed-type", accepts_open311=False)
    ComplaintTypeFactory(code="retired-type", is_active=False)
    data = api.get(f"{BASE}/services.json").json()
    codes = [s["service_code"] for s in data]
    assert {road_type.code, short_type.code} <= set(codes)
    assert "closed-type" not in codes
    assert "retired-type" not in codes
    assert set(codes) == set(
        ComplaintType.objects.filter(accepts_open311=True, is_active=True).values_list(
            "code", flat=True
        )
    )
    service = next(s for s in data if s["service_code"] == road_type.code)
    assert service["type"] == "realtime"
    assert service["metadata"] is True
    assert service["group"] == road_type.handling_department.name
    assert service["service_name"] == road_type.name
    assert set(service) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }


def test_services_xml(api, road_type):
    root = xml(api.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    service = next(
        s for s in root.findall("service") if s.findtext("service_code") == road_type.code
    )
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"


def test_services_in_english(api, road_type):
    data = api.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    service = next(s for s in data if s["service_code"] == road_type.code)
    assert service["service_name"] == road_type.name_en


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_K3_O4_attributes(api, road_type, short_type, fmt):
    """The definition asks who files (K3), the address, residence, priority (V6) and,
    for a 7-day type only, SMS consent (O4)."""
    long_answer = api.get(f"{BASE}/services/{road_type.code}.{fmt}")
    short_answer = api.get(f"{BASE}/services/{short_type.code}.{fmt}")
    assert long_answer.status_code == short_answer.status_code == 200
    if fmt == "json":
        data = long_answer.json()
        assert data["service_code"] == road_type.code
        attributes = {a["code"]: a for a in data["attributes"]}
        short_codes = {a["code"] for a in short_answer.json()["attributes"]}
        filer = attributes["filer_type"]
        assert filer["required"] is True
        assert filer["datatype"] == "singlevaluelist"
        assert [v["key"] for v in filer["values"]] == list(FilerType.values)
        assert [a["order"] for a in data["attributes"]] == sorted(
            a["order"] for a in data["attributes"]
        )
    else:
        root = xml(long_answer)
        assert root.tag == "service_definition"
        assert root.findtext("service_code") == road_type.code
        attributes = {a.findtext("code"): a for a in root.findall("attributes/attribute")}
        short_codes = {a.findtext("code") for a in xml(short_answer).iter("attribute")}
        filer = attributes["filer_type"]
        assert filer.findtext("required") == "true"
        assert filer.findtext("variable") == "true"
        assert [v.findtext("key") for v in filer.findall("values/value")] == list(FilerType.values)
    assert set(attributes) == {
        "filer_type",
        "acts_as_private_party",
        "about_contract",
        "contact_address",
        "lives_in_county",
        "sms_consent",
        "priority_reasons",
    }
    assert "sms_consent" not in short_codes


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_is_404(api, road_type, fmt):
    response = api.get(f"{BASE}/services/no-such-type.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


def test_service_closed_to_open311_is_404(api):
    ctype = ComplaintTypeFactory(code="web-only", accepts_open311=False)
    assert api.get(f"{BASE}/services/{ctype.code}.json").status_code == 404


# --- Requests -----------------------------------------------------------------------------
PERSONAL = ["홍길동", "길동", "1234", "5678", "hong@example.com", "차탄로 1", "구멍"]


@pytest.fixture
def filed(api, road_type, api_key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, fields_for(road_type, api_key))
    assert response.status_code == 201, response.content
    return response.json()[0]


def test_O2_expected_datetime_is_the_legal_due_time(api, filed):
    from complaints.models import Complaint

    complaint = Complaint.objects.get(receipt_number=filed["service_request_id"])
    (data,) = api.get(f"{BASE}/requests/{complaint.receipt_number}.json").json()
    assert data["expected_datetime"] == iso(complaint.due_at)
    assert data["expected_datetime"].endswith("+09:00")
    assert data["requested_datetime"] == iso(complaint.received_at)
    assert data["status"] == "open"
    assert data["service_code"] == complaint.complaint_type.code
    assert data["agency_responsible"] == complaint.department.name
    assert data["lat"] == pytest.approx(38.096)
    assert data["long"] == pytest.approx(127.075)
    assert data["address"] == "경기도 연천군 연천읍 차탄리 120"
    assert data["media_url"] == "https://example.com/photo.jpg"
    assert complaint.receipt_number in data["service_notice"]


def test_public_request_shows_no_personal_data_nor_the_citizens_text(api, filed):
    from complaints import tracking
    from complaints.models import Complaint

    complaint = Complaint.objects.get(receipt_number=filed["service_request_id"])
    for url in (
        f"{BASE}/requests/{filed['service_request_id']}.json",
        f"{BASE}/requests/{filed['service_request_id']}.xml",
        f"{BASE}/requests.json",
        f"{BASE}/requests.xml",
    ):
        body = api.get(url).content.decode()
        assert filed["service_request_id"] in body
        for secret in PERSONAL:
            assert secret not in body, (url, secret)
        assert "description" not in body
        # The SMS carries a signed tracking link; a public answer never does.
        assert tracking.tracking_token(complaint) not in body


def test_request_detail_xml(api, filed):
    root = xml(api.get(f"{BASE}/requests/{filed['service_request_id']}.xml"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("service_request_id") == filed["service_request_id"]
    assert request.findtext("status") == "open"
    assert request.findtext("expected_datetime").endswith("+09:00")


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_request_is_404(api, road_type, fmt):
    response = api.get(f"{BASE}/requests/2026-999999.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


def test_token_finds_the_request(api, filed):
    data = api.get(f"{BASE}/tokens/{filed['token']}.json").json()
    assert data == [{"service_request_id": filed["service_request_id"], "token": filed["token"]}]
    root = xml(api.get(f"{BASE}/tokens/{filed['token']}.xml"))
    assert root.find("request").findtext("service_request_id") == filed["service_request_id"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_token_is_404(api, fmt):
    response = api.get(f"{BASE}/tokens/nope.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


def test_requests_filters(api, road_type, env_type, roads_clerk):
    now = timezone.now()
    first = file_one(road_type, now=now)
    second = file_one(env_type, now=now)
    closed_type = ComplaintTypeFactory(code="not-open311", accepts_open311=False)
    hidden = file_one(closed_type, now=now, channel="web")

    def ids(**params):
        data = api.get(f"{BASE}/requests.json", params).json()
        return {item["service_request_id"] for item in data}

    assert ids() == {first.receipt_number, second.receipt_number}
    assert hidden.receipt_number not in ids(service_request_id=hidden.receipt_number)
    assert ids(service_code=env_type.code) == {second.receipt_number}
    assert ids(service_request_id=f"{first.receipt_number},2026-999999") == {first.receipt_number}
    assert ids(status="closed") == set()
    assert ids(status="open") == {first.receipt_number, second.receipt_number}
    assert ids(start_date=iso(now + timedelta(minutes=1))) == set()
    assert ids(start_date=iso(now - timedelta(days=1)), end_date=iso(now + timedelta(days=1))) == {
        first.receipt_number,
        second.receipt_number,
    }
    assert ids(end_date=iso(now - timedelta(days=1))) == set()


def test_requests_list_xml(api, road_type):
    complaint = file_one(road_type, now=timezone.now())
    root = xml(api.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        complaint.receipt_number
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45T00:00:00+09:00"},
        {"start_date": "0001-01-01T00:00:00+09:00"},
        {"start_date": "2026-01-01T00:00:00+09:00", "end_date": "2025-12-01T00:00:00+09:00"},
        {"start_date": "2026-01-01T00:00:00+09:00", "end_date": "2026-04-02T00:00:00+09:00"},
        {"status": "pending"},
    ],
    ids=["bad-date", "impossible-date", "ancient", "end-before-start", "over-90-days", "status"],
)
def test_bad_request_filters_are_400(api, params, fmt):
    response = api.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 400
    assert errors_of(response, fmt)[0][0] == 400


def test_exactly_90_days_is_allowed(api):
    params = {"start_date": "2026-01-01T00:00:00+09:00", "end_date": "2026-04-01T00:00:00+09:00"}
    assert api.get(f"{BASE}/requests.json", params).status_code == 200


def _count_list_queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"{BASE}/requests.json")
    assert response.status_code == 200
    return len(queries), len(response.json())


def test_requests_list_query_count_does_not_grow(api, road_type, key_pair):
    from open311.services import RequestData, file_request

    now = timezone.now()

    def add(count: int) -> None:
        for n in range(count):
            if n % 2:
                file_one(road_type, now=now)
            else:  # half through the API, so the API's own rows are joined too
                data = RequestData(
                    service_code=road_type.code,
                    address_string="연천읍",
                    first_name="길동",
                    last_name="홍",
                    description=f"도로 파손 {n}",
                    attributes={
                        "filer_type": ["individual"],
                        "contact_address": ["경기도 연천군 연천읍 차탄로 1"],
                    },
                )
                file_request(data, api_key=key_pair[0], now=now)

    add(3)
    small, rows = _count_list_queries(api)
    assert rows == 3
    add(27)
    large, rows = _count_list_queries(api)
    assert rows == 30
    assert small == large <= 2


def test_requests_list_is_capped_at_1000(api, road_type, monkeypatch):
    from open311 import services

    monkeypatch.setattr(services, "MAX_RESULTS", 2)
    for _n in range(3):
        file_one(road_type, now=timezone.now())
    assert len(api.get(f"{BASE}/requests.json").json()) == 2
