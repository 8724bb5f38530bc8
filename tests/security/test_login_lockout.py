"""Admin sign-in: five failures per address and user name lock the pair out for an hour."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple-7"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The lockout is what is tested, not the password hash's cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clerk_account():
    user = UserFactory(username="lockme", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, password, address="198.51.100.7"):
    return client.post(
        reverse("admin:login"),
        {"username": "lockme", "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_account_from_that_address_for_an_hour(client, clerk_account):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert _login(client, "wrong").status_code == 200
        locked = _login(client, "wrong")
        assert locked.status_code == 429
        assert "로그인이 잠시 잠겼습니다" in locked.content.decode()
        # Even the right password is refused while locked.
        assert _login(client, PASSWORD).status_code == 429
        # Another address is not locked (the lockout is per address and user name).
        assert _login(client, PASSWORD, address="198.51.100.8").status_code == 302
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        assert _login(client, PASSWORD).status_code == 302


def test_lockout_page_is_in_english_too(client, clerk_account):
    for _ in range(5):
        _login(client, "wrong")
    page = client.post(
        reverse("admin:login"),
        {"username": "lockme", "password": "wrong"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 429
    assert "Sign-in temporarily locked" in page.content.decode()


def test_force_login_of_the_test_cast_is_unaffected(client_for, roads_clerk):
    assert client_for(roads_clerk).get("/admin/").status_code == 200
