"""A cache outage never refuses a citizen: the rate limits count on the shared cache and,
when it cannot count, let the request through (RATELIMIT_FAIL_OPEN). Filing, tracking,
consultation and Open311 keep working; the answer is never "too many requests"."""

from datetime import timedelta

import pytest
import time_machine

from complaints import tracking
from complaints.models import Complaint
from tests.complaints.factories import NOW, file_one
from tests.complaints.test_citizen_filing import filing_data, form_url, fresh_token

pytestmark = pytest.mark.django_db

UNREACHABLE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
    }
}


@pytest.fixture
def cache_down(settings):
    settings.CACHES = UNREACHABLE
    settings.PUBLIC_POST_RATE = "1/m"  # a limit a counting cache would enforce at once


@pytest.fixture
def frozen():
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        yield


def test_C1_filing_is_accepted_while_the_cache_is_down(client, road_type, cache_down, frozen):
    for phone in ("010-1111-2222", "010-3333-4444"):
        response = client.post(
            form_url(road_type), filing_data(fresh_token(client, road_type), phone=phone)
        )
        assert response.status_code == 302, response.content.decode()[:500]
        assert response["Location"].startswith("/complaints/receipt/")
    assert Complaint.objects.count() == 2


def test_C2_tracking_answers_while_the_cache_is_down(client, road_type, cache_down, frozen):
    filed = file_one(road_type, phone="010-1234-5678")
    for _ in range(2):
        response = client.post(
            "/complaints/track/", {"receipt_number": filed.receipt_number, "phone": "01012345678"}
        )
        assert response.status_code == 302
        assert response["Location"] == tracking.tracking_path(filed)
