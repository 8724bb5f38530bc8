"""A hung Redis (it accepts connections and never answers) costs a citizen's request one
socket timeout, not one per cache call: after a failure the cache stops asking Redis for
REDIS_CACHE_PAUSE_SECONDS (yeoncheon_portal/cache.py), and the filing goes through."""

import socket
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches

from complaints.models import Complaint
from tests.complaints.factories import NOW
from tests.complaints.test_citizen_filing import filing_data, form_url, fresh_token
from yeoncheon_portal import cache as pausing

pytestmark = pytest.mark.django_db


class HungRedis:
    """Accepts connections, counts them, and never answers."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self) -> None:
        self.listener.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def hung(settings, monkeypatch):
    server = HungRedis()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 0.2,
                "CONNECTION_POOL_CLASS": "yeoncheon_portal.cache.PausingConnectionPool",
            },
        }
    }
    settings.REDIS_CACHE_PAUSE_SECONDS = 10
    clock = [1000.0]
    monkeypatch.setattr(pausing, "_clock", lambda: clock[0])
    monkeypatch.setattr(pausing, "_paused_until", 0.0)
    yield server, clock
    caches["default"].close()
    server.close()


def test_a_hung_redis_is_asked_once_then_left_alone_until_the_pause_ends(hung):
    server, clock = hung
    cache = caches["default"]
    assert cache.get("anything", "fallback") == "fallback"
    assert len(server.connections) == 1
    for _ in range(5):
        assert cache.add("counter", 1) is None
        assert cache.get("anything") is None
    assert len(server.connections) == 1  # nothing asked Redis during the pause
    clock[0] += 11
    cache.get("anything")
    assert len(server.connections) == 2  # after the pause it tries again


def test_C1_filing_goes_through_a_hung_redis_with_one_attempt(client, road_type, hung):
    server, _ = hung
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        response = client.post(form_url(road_type), filing_data(fresh_token(client, road_type)))
    assert response.status_code == 302, response.content.decode()[:500]
    assert Complaint.objects.count() == 1
    assert len(server.connections) == 1
