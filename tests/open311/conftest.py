"""Fixtures for the Open311 tests: a client key, Open311 complaint types, helpers."""

from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from open311.services import issue_key
from tests.complaints.conftest import env_type, road_type, short_type  # noqa: F401

BASE = "/open311/v2"


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    # Every test shares the address 127.0.0.1 for keyless reads; only the rate-limit
    # tests set a small rate, on keys and addresses of their own.
    settings.OPEN311_KEY_RATE = "100000/m"


@pytest.fixture
def key_pair(db):
    return issue_key("test-app", contact="dev@example.com", now=timezone.now())


@pytest.fixture
def api_key(key_pair):
    return key_pair[1]


@pytest.fixture
def api(db):
    return Client()


def fields_for(ctype, api_key, **overrides) -> dict:
    """A valid GeoReport POST for `ctype`; overrides replace fields (None drops one)."""
    values = {
        "api_key": api_key,
        "service_code": ctype.code,
        "lat": "38.096",
        "long": "127.075",
        "address_string": "경기도 연천군 연천읍 차탄리 120",
        "first_name": "길동",
        "last_name": "홍",
        "phone": "010-1234-5678",
        "email": "hong@example.com",
        "description": "차탄리 앞 도로에 큰 구멍이 있습니다.\n차가 빠질 듯합니다.",
        "media_url": "https://example.com/photo.jpg",
        "attribute[filer_type]": "individual",
        "attribute[contact_address]": "경기도 연천군 연천읍 차탄로 1",
        "attribute[lives_in_county]": "true",
        "attribute[sms_consent]": "true",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def post(api, fields: dict, fmt: str = "json", **headers):
    return api.post(f"{BASE}/requests.{fmt}", fields, **headers)


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314  (our own answer)


def errors_of(response, fmt: str) -> list[tuple[int, str]]:
    if fmt == "xml":
        root = xml(response)
        assert root.tag == "errors"
        return [
            (int(error.findtext("code")), error.findtext("description"))
            for error in root.findall("error")
        ]
    return [(error["code"], error["description"]) for error in response.json()]
