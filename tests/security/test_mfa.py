"""Two-factor sign-in for staff (ASVS 2.8): authenticator apps (TOTP) through django-otp.

A staff member with a confirmed app gives its code at /admin/login/; a wrong or missing
code is refused on its own field and counts for django-axes' lockout. Staff enrol and
remove their own app at /staff/me/otp/; an administrator removes a lost phone's app in
the admin. With STAFF_MFA_REQUIRED, staff without an app reach only the enrolment page.

Codes are computed from the device's key with the clock frozen (time_machine): 30-second
steps, and each code is accepted once, so tests move the clock on to get a new one.
"""

from __future__ import annotations

import re
from base64 import b32decode, b32encode
from binascii import unhexlify
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff_directory.mfa import services
from tests.factories import TEST_PASSWORD
from tests.fixtures.browser import watch_csp_violations

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 11, 24, 9, 0, tzinfo=SEOUL)
ADDRESS = "198.51.100.7"
LOGIN = "/admin/login/"
ENROL = "/staff/me/otp/"
REMOVE = "/staff/me/otp/remove/"


def code_for(key: bytes) -> str:
    """The app's code now (the frozen clock), as the app shows it."""
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def next_step(clock) -> None:
    """On to the next 30-second step: a new code (and past the 1-second throttle)."""
    clock.shift(timedelta(seconds=30))


@pytest.fixture
def app(roads_clerk) -> TOTPDevice:
    """The roads clerk's confirmed authenticator app."""
    return TOTPDevice.objects.create(user=roads_clerk, name="인증 앱", confirmed=True)


def sign_in(
    client: Client,
    user,
    *,
    code: str | None = None,
    password: str = TEST_PASSWORD,
    address: str = ADDRESS,
    **extra,
):
    data = {"username": user.username, "password": password, "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client.post(LOGIN, data, REMOTE_ADDR=address, **extra)


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


# --- Signing in -----------------------------------------------------------------------


def test_the_sign_in_page_has_a_code_field_for_phones_and_password_managers(client):
    page = client.get(LOGIN).content.decode()
    field = re.search(r"<input[^>]*name=\"otp_token\"[^>]*>", page).group(0)
    assert 'autocomplete="one-time-code"' in field
    assert 'inputmode="numeric"' in field
    assert 'aria-describedby="id_otp_token_helptext"' in field
    assert '<label for="id_otp_token">인증 코드:</label>' in page
    assert 'id="id_otp_token_helptext"' in page
    assert "인증 앱을 등록한 직원만 입력합니다" in page
    english = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="id_otp_token">Authentication code:</label>' in english
    assert "Only staff who have enrolled an authenticator app" in english


def test_staff_without_an_app_sign_in_with_the_password_alone(client, roads_clerk, clock):
    response = sign_in(client, roads_clerk)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in(client)


def test_a_code_typed_by_staff_without_an_app_is_ignored(client, roads_clerk, clock):
    assert sign_in(client, roads_clerk, code="123456").status_code == 302


def test_staff_with_an_app_sign_in_with_password_and_its_current_code(client, app, clock):
    response = sign_in(client, app.user, code=code_for(app.bin_key))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session[DEVICE_ID_SESSION_KEY] == app.persistent_id
    assert signed_in(client)
    assert client.get("/staff/me/").status_code == 200
    app.refresh_from_db()
    assert app.last_used_at is not None


def test_spaces_in_the_code_are_allowed(client, app, clock):
    code = code_for(app.bin_key)
    assert sign_in(client, app.user, code=f" {code[:3]} {code[3:]} ").status_code == 302


@pytest.mark.parametrize(
    "code, message",
    [
        ("", "인증 앱에 보이는 6자리 숫자를 입력하세요."),
        ("000000", "인증 코드가 맞지 않습니다."),
        ("12345", "인증 코드가 맞지 않습니다."),
        ("abcdef", "인증 코드가 맞지 않습니다."),
    ],
)
def test_a_missing_or_wrong_code_is_refused_on_the_code_field(client, app, clock, code, message):
    if code == "000000" and code_for(app.bin_key) == code:  # pragma: no cover - 1 in 10⁶
        code = "000001"
    response = sign_in(client, app.user, code=code)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["otp_token"]
    assert message in form.errors["otp_token"][0]
    assert 'aria-invalid="true"' in re.search(
        r"<input[^>]*name=\"otp_token\"[^>]*>", response.content.decode()
    ).group(0)
    assert not signed_in(client)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_refusal_is_in_english_too(client, app, clock):
    response = sign_in(client, app.user, code="", HTTP_ACCEPT_LANGUAGE="en")
    assert "Enter the 6-digit number shown in your authenticator app." in (
        response.content.decode()
    )


def test_a_code_from_another_users_app_is_refused(client, app, other_clerk, clock):
    theirs = TOTPDevice.objects.create(user=other_clerk, name="인증 앱", confirmed=True)
    if code_for(theirs.bin_key) != code_for(app.bin_key):
        assert sign_in(client, app.user, code=code_for(theirs.bin_key)).status_code == 200


def test_a_code_signs_in_once_only(client, app, clock):
    code = code_for(app.bin_key)
    assert sign_in(client, app.user, code=code).status_code == 302
    replay = Client()
    assert sign_in(replay, app.user, code=code).status_code == 200
    next_step(clock)
    assert sign_in(replay, app.user, code=code_for(app.bin_key)).status_code == 302


def test_an_unconfirmed_app_asks_for_no_code(client, roads_clerk, clock):
    TOTPDevice.objects.create(user=roads_clerk, name="반쯤 등록", confirmed=False)
    assert sign_in(client, roads_clerk).status_code == 302


def test_a_wrong_password_is_refused_before_the_code_is_checked(client, app, clock):
    response = sign_in(client, app.user, password="wrong", code=code_for(app.bin_key))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    app.refresh_from_db()
    assert app.last_t == -1  # the code was never tried


# --- Lockout (django-axes) ---------------------------------------------------------------


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account_out(client, app, clock):
    for attempt in range(4):
        response = sign_in(client, app.user, code="" if attempt == 0 else "000000")
        assert response.status_code == 200, attempt
        assert "otp_token" in response.context["form"].errors
        next_step(clock)
    assert AccessAttempt.objects.get(username=app.user.username).failures_since_start == 4
    locked = sign_in(client, app.user, code="000000")
    assert locked.status_code == 429
    assert "로그인이 잠시 잠겼습니다" in locked.content.decode()
    next_step(clock)
    # Locked: the right password and the right code are refused too, and not tried.
    assert sign_in(client, app.user, code=code_for(app.bin_key)).status_code == 429
    assert not signed_in(client)
    # The lockout is per address and user name, as for passwords.
    next_step(clock)
    elsewhere = sign_in(Client(), app.user, code=code_for(app.bin_key), address="198.51.100.8")
    assert elsewhere.status_code == 302
    clock.shift(timedelta(hours=1, minutes=1))
    assert sign_in(Client(), app.user, code=code_for(app.bin_key)).status_code == 302


def test_wrong_passwords_and_wrong_codes_add_up(client, app, clock):
    for _ in range(2):
        assert sign_in(client, app.user, password="wrong").status_code == 200
    for _ in range(2):
        assert sign_in(client, app.user, code="000000").status_code == 200
        next_step(clock)
    assert sign_in(client, app.user, password="wrong").status_code == 429


def test_a_right_code_after_wrong_ones_resets_the_count(client, app, clock):
    for _ in range(3):
        sign_in(client, app.user, code="000000")
        next_step(clock)
    assert sign_in(client, app.user, code=code_for(app.bin_key)).status_code == 302
    assert not AccessAttempt.objects.filter(username=app.user.username).exists()


# --- Sessions without the code ------------------------------------------------------------


def test_a_session_of_an_app_holder_without_the_code_is_signed_out(client_for, app, clock):
    client = client_for(app.user)  # force_login: no code given
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=/admin/")
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/me/").status_code == 302


def test_the_sign_in_page_itself_stays_open_to_such_a_session(client_for, app, clock):
    client = client_for(app.user)
    # The admin sends a signed-in staff member on to /admin/, where the session ends.
    page = client.get(LOGIN, follow=True)
    assert page.status_code == 200 and page.redirect_chain[-1][0].startswith(LOGIN)
    assert "인증 앱의 코드와 함께 다시 로그인해 주세요." in page.content.decode()
    assert sign_in(client, app.user, code=code_for(app.bin_key)).status_code == 302
    assert signed_in(client)


def test_force_login_of_staff_without_an_app_is_unaffected(client_for, roads_clerk):
    client = client_for(roads_clerk)
    assert signed_in(client)
    assert client.get("/staff/me/").status_code == 200


# --- Enrolment -------------------------------------------------------------------------


def enrolment_key(client: Client) -> bytes:
    return unhexlify(client.session[services.PENDING_KEY_SESSION_KEY])


def test_enrolment_shows_a_qr_code_and_the_key_as_text(client_for, roads_clerk, clock):
    client = client_for(roads_clerk)
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg and 'aria-label="인증 앱으로 찍을 QR 코드입니다.' in svg
    assert "<path" in html and "<script" not in html
    key = enrolment_key(client)
    manual = b32encode(key).decode().rstrip("=")
    assert " ".join(manual[i : i + 4] for i in range(0, 32, 4)) in html
    assert "연천군 민원 포털 (roads_clerk)" in html
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", html).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    # Reloading keeps the same secret; nothing is stored before the code is typed.
    client.get(ENROL)
    assert enrolment_key(client) == key
    assert not TOTPDevice.objects.exists()
    assert "config_url" not in html and "otpauth://" not in html


def test_the_qr_code_carries_the_key_for_the_app(roads_clerk):
    key = "3132333435363738393031323334353637383930"
    url = services.config_url(roads_clerk, key)
    assert url.startswith("otpauth://totp/")
    assert f"secret={b32encode(unhexlify(key)).decode()}" in url
    assert "digits=6" in url and "period=30" in url


def test_enrolment_refuses_a_wrong_code(client_for, roads_clerk, clock):
    client = client_for(roads_clerk)
    client.get(ENROL)
    right = code_for(enrolment_key(client))
    wrong = "000000" if right != "000000" else "000001"
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["code"]
    assert "인증 코드가 맞지 않습니다." in response.context["form"].errors["code"][0]
    assert not TOTPDevice.objects.exists()
    missing = client.post(ENROL, {"code": ""})
    assert missing.status_code == 400
    assert "6자리 숫자를 입력하세요" in missing.content.decode()


def test_enrolment_confirms_the_app_with_a_valid_code(client_for, roads_clerk, clock):
    client = client_for(roads_clerk)
    client.get(ENROL)
    key = enrolment_key(client)
    response = client.post(ENROL, {"code": code_for(key)})
    assert response.status_code == 302 and response["Location"] == ENROL
    device = TOTPDevice.objects.get(user=roads_clerk)
    assert device.confirmed and device.bin_key == key
    # This session counts as having given the code; the secret left the session.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert services.PENDING_KEY_SESSION_KEY not in client.session
    page = client.get(ENROL).content.decode()
    assert "인증 앱이 등록되어 있습니다" in page and "<svg" not in page
    assert "인증 앱을 등록했습니다" in page
    assert signed_in(client)
    # The confirming code does not also sign in; the next sign-in needs the code.
    assert sign_in(Client(), roads_clerk, code=code_for(key)).status_code == 200
    assert sign_in(Client(), roads_clerk).status_code == 200
    next_step(clock)
    assert sign_in(Client(), roads_clerk, code=code_for(key)).status_code == 302


def test_the_staff_page_links_to_enrolment(client_for, roads_clerk, manager):
    for user in (roads_clerk, manager):
        assert f'href="{ENROL}"' in client_for(user).get("/staff/me/").content.decode()


def test_the_enrolment_pages_are_in_english_too(client_for, roads_clerk, clock):
    client = client_for(roads_clerk)
    page = client.get(ENROL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enrol an authenticator app (two-step sign-in)" in page
    assert "Setup key" in page
    assert "인증" not in page.split("<main", 1)[1].split("</main>")[0]
    client.post(ENROL, {"code": code_for(enrolment_key(client))})
    enrolled = client.get(ENROL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "An authenticator app is enrolled." in enrolled
    removal = client.get(REMOVE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Remove the authenticator app" in removal


def test_enrolment_is_for_signed_in_staff_only(client, client_for, outsider):
    assert client.get(ENROL)["Location"].startswith(f"{LOGIN}?next={ENROL}")
    assert client_for(outsider).get(ENROL).status_code == 403


# --- Removal ---------------------------------------------------------------------------


@pytest.fixture
def verified(client, app, clock) -> Client:
    """The roads clerk, signed in with password and code."""
    assert sign_in(client, app.user, code=code_for(app.bin_key)).status_code == 302
    next_step(clock)
    return client


def test_removal_needs_a_current_code(verified, app, clock):
    page = verified.get(REMOVE)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert verified.post(REMOVE, {"code": ""}).status_code == 400
    wrong = verified.post(REMOVE, {"code": "000000"})
    assert wrong.status_code == 400
    assert list(wrong.context["form"].errors) == ["code"]
    assert TOTPDevice.objects.filter(pk=app.pk).exists()
    next_step(clock)  # past the throttle after the wrong code
    response = verified.post(REMOVE, {"code": code_for(app.bin_key)})
    assert response.status_code == 302 and response["Location"] == ENROL
    assert not TOTPDevice.objects.exists()
    # Still signed in; the next sign-in is with the password alone.
    assert signed_in(verified)
    assert sign_in(Client(), app.user).status_code == 302


def test_removal_without_an_app_goes_to_enrolment(client_for, roads_clerk):
    client = client_for(roads_clerk)
    assert client.get(REMOVE)["Location"] == ENROL
    assert client.post(REMOVE, {"code": "123456"})["Location"] == ENROL


def test_an_administrator_removes_a_lost_phones_app(verified, app, client_for, superuser, clock):
    admin = client_for(superuser)
    listing = admin.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200 and "roads_clerk" in listing.content.decode()
    change = admin.get(f"/admin/otp_totp/totpdevice/{app.pk}/change/").content.decode()
    assert app.key not in change and "otpauth" not in change  # no secret shown back
    assert admin.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    response = admin.post(f"/admin/otp_totp/totpdevice/{app.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()
    # The clerk's session, which gave the old app's code, is signed out; the password
    # alone signs in again, and the clerk enrols the new phone.
    assert not signed_in(verified)
    assert sign_in(Client(), app.user).status_code == 302


def test_only_administrators_see_the_apps_in_the_admin(client_for, app, manager, roads_clerk):
    assert client_for(manager).get("/admin/otp_totp/totpdevice/").status_code == 403
    index = client_for(manager).get("/admin/").content.decode()
    assert "/admin/otp_totp/" not in index


# --- STAFF_MFA_REQUIRED ------------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.STAFF_MFA_REQUIRED = True


STAFF_PAGES = ["/admin/", "/staff/me/", "/complaints/staff/intake/", "/staff/memos/"]


def test_required_sends_staff_without_an_app_to_enrolment(
    required, client_for, roads_clerk, manager, clock
):
    client = client_for(roads_clerk)
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{ENROL}?next={url.replace('/', '%2F')}", url
    dashboard = client_for(manager).get("/dashboard/")
    assert dashboard["Location"] == f"{ENROL}?next=%2Fdashboard%2F"
    # POSTs too, and the enrolment page and the language switch stay open.
    assert client.post("/staff/me/presence/", {"presence": "in"})["Location"].startswith(ENROL)
    page = client.get(f"{ENROL}?next=/admin/")
    assert page.status_code == 200
    assert "직원 화면을 쓰려면 먼저 인증 앱을 등록해야 합니다." in page.content.decode()
    assert client.post("/i18n/setlang/", {"language": "en", "next": ENROL})["Location"] == ENROL


def test_required_after_enrolment_the_staff_pages_open(required, client_for, roads_clerk, clock):
    client = client_for(roads_clerk)
    client.get(f"{ENROL}?next=/admin/")
    response = client.post(ENROL, {"code": code_for(enrolment_key(client)), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 200, url


def test_required_password_sign_in_lands_on_enrolment(required, client, roads_clerk, clock):
    assert sign_in(client, roads_clerk).status_code == 302
    assert client.get("/admin/")["Location"] == f"{ENROL}?next=%2Fadmin%2F"


def test_required_the_next_address_must_be_on_this_site(required, client_for, roads_clerk, clock):
    client = client_for(roads_clerk)
    client.get(f"{ENROL}?next=https://evil.example/")
    response = client.post(
        ENROL, {"code": code_for(enrolment_key(client)), "next": "https://evil.example/"}
    )
    assert response["Location"] == ENROL


def test_required_an_app_enrolled_in_another_session_signs_this_one_out(
    required, client_for, roads_clerk, clock
):
    old = client_for(roads_clerk)
    TOTPDevice.objects.create(user=roads_clerk, name="인증 앱", confirmed=True)
    response = old.get("/admin/")
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in old.session


def test_required_citizens_and_non_staff_are_unaffected(required, client, client_for, outsider):
    assert client.get("/").status_code == 200
    assert client_for(outsider).get("/").status_code == 200


# --- In Chromium: keyboard only, no Content Security Policy violation, axe clean --------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enrolment_in_a_browser(page, live_server, roads_clerk):
    from tests.fixtures.browser import assert_accessible

    violations = watch_csp_violations(page)
    page.goto(live_server.url + LOGIN)
    page.fill("#id_username", roads_clerk.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    page.goto(live_server.url + ENROL)
    assert page.locator("svg[role=img]").is_visible()
    assert_accessible(page)
    typed_key = page.locator("code.otp-key").inner_text().replace(" ", "")
    key = b32decode(typed_key + "=" * (-len(typed_key) % 8))
    page.locator("#id_code").focus()
    page.keyboard.type(code_for(key))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "인증 앱이 등록되어 있습니다" in page.content()
    assert_accessible(page)
    assert violations == []
    assert TOTPDevice.objects.get(user=roads_clerk).bin_key == key


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_with_the_code_by_keyboard(page, live_server, app):
    violations = watch_csp_violations(page)
    page.goto(live_server.url + LOGIN)
    # The user name field has the focus; Tab walks password, then the code.
    page.keyboard.type(app.user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_otp_token"
    page.keyboard.type("000000" if code_for(app.bin_key) != "000000" else "000001")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#id_otp_token_error").is_visible()
    assert page.locator("#id_otp_token").get_attribute("aria-invalid") == "true"
    # Django does not send the password back: type it again, with the code.
    page.fill("#id_password", TEST_PASSWORD)
    # Past django-otp's wait after a wrong code (1 second), without sleeping.
    TOTPDevice.objects.filter(pk=app.pk).update(throttling_failure_count=0)
    page.fill("#id_otp_token", code_for(app.bin_key))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    assert violations == []
