"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request (they open
personal data), and at browser close; a citizen's visit is not affected."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_staff_session_ends_after_the_idle_time(client_for, roads_clerk, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    client = client_for(roads_clerk)
    with time_machine.travel(start, tick=False):
        assert client.get("/admin/").status_code == 200
    # Working steadily: each request within the idle time keeps the session.
    for minutes in (25, 50, 75):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/admin/").status_code == 200
    # Away for 31 minutes: signed out, sent to the sign-in page with a plain message.
    with time_machine.travel(start + timedelta(minutes=75 + 31), tick=False):
        response = client.get("/admin/", follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert "30분 동안 사용하지 않아 로그아웃되었습니다" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_session_cookie_ends_at_browser_close(client_for, roads_clerk):
    client = client_for(roads_clerk)
    client.get("/admin/")
    assert client.session.get_expire_at_browser_close()
