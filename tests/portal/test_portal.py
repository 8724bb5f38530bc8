"""The portal's shell: home page, language, text size, health, production checks."""

import subprocess
import sys

import pytest
from django.core.checks import run_checks
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_home_speaks_korean_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko"' in html
    assert "무엇을 도와드릴까요?" in html
    assert 'href="#main"' in html  # skip link to the main landmark


def test_home_in_english_through_the_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert "How can we help you?" in html


def test_larger_text_switch_is_remembered_in_a_cookie(client):
    response = client.post("/text-size/", {"large": "1", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["large_text"].value == "1"
    assert 'class="text-large"' in client.get("/").content.decode()
    client.post("/text-size/", {"large": "0", "next": "/"})
    assert 'class="text-large"' not in client.get("/").content.decode()


def test_text_size_switch_refuses_to_redirect_elsewhere(client):
    response = client.post("/text-size/", {"large": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_text_size_switch_rejects_get(client):
    assert client.get("/text-size/").status_code == 405


def test_unknown_page_is_a_korean_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()


def test_healthz_reports_database_and_eager_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "eager"
    assert body["status"] == "ok"


def test_healthz_is_503_when_the_broker_is_unreachable(client, settings, caplog):
    from yeoncheon_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    # Anyone may ask /healthz: it says what is down, never the internals (the exception
    # class and text go to the log for the operators).
    assert response.json()["broker"] == "error"
    assert "Error" not in response.content.decode()
    assert any("broker" in r.getMessage() and "Error" in r.getMessage() for r in caplog.records)


def _portal_ids(**overrides) -> set[str]:
    with override_settings(**overrides):
        return {m.id for m in run_checks() if m.id and m.id.startswith("portal.")}


def test_production_without_secret_key_is_refused_by_a_named_check(settings):
    ids = _portal_ids(DEBUG=False, SECRET_KEY=settings.DEFAULT_SECRET_KEY, ALLOWED_HOSTS=["x"])
    assert "portal.E001" in ids


def test_production_with_empty_allowed_hosts_is_refused(settings):
    ids = _portal_ids(DEBUG=False, SECRET_KEY="s" * 50, ALLOWED_HOSTS=[])
    assert "portal.E002" in ids


def test_twilio_without_credentials_is_refused(settings):
    ids = _portal_ids(
        DEBUG=False,
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS=["x"],
        SMS_BACKEND="twilio",
        TWILIO_ACCOUNT_SID="",
        TWILIO_AUTH_TOKEN="",
    )
    assert "portal.E003" in ids


def test_debug_off_without_secret_key_refuses_to_start(tmp_path):
    """`manage.py check` in a fresh process with DEBUG=0 and no SECRET_KEY fails, naming E001."""
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "example.org", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "portal.E001" in result.stderr


def test_env_example_lists_every_setting_read_from_the_environment():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    read = set(
        re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', (root / "yeoncheon_portal/settings.py").read_text())
    )
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", (root / ".env.example").read_text(), re.M))
    assert read, "settings.py reads no variables?"
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"


def test_deploy_check_is_clean_with_production_variables():
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-value-0123456789",
        "ALLOWED_HOSTS": "minwon.yeoncheon.go.kr",
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": "ACtest",
        "TWILIO_AUTH_TOKEN": "token",
        "TWILIO_MESSAGING_SERVICE_SID": "MGtest",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_permission_denied_is_a_korean_403_page(client):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/somewhere/")
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "볼 수 있는 권한이 없습니다" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/complaints/track/%00/", "/staff/?q=%00", "/board/?page=1%00", "/staff/%00x/"],
)
def test_nul_in_path_or_query_is_a_clear_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "쓸 수 없는 문자" in response.content.decode()


def test_nul_in_an_open311_path_is_an_open311_error_list(client):
    response = client.get("/open311/v2/requests/%00.json")
    assert response.status_code == 400
    body = response.json()
    assert body[0]["code"] == 400 and body[0]["description"]


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    """Production serves hashed, compressed static files: every file must collect,
    including the vendored ones (a reference to a missing source map would fail)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "minwon.yeoncheon.go.kr",
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": "ACtest",
        "TWILIO_AUTH_TOKEN": "token",
        "TWILIO_MESSAGING_SERVICE_SID": "MGtest",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


@pytest.mark.parametrize(
    ("language", "text"),
    [("ko", "보안 확인에 실패했습니다"), ("en", "Security check failed")],
)
def test_csrf_failure_is_the_portals_own_page(language, text):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    response = client.post("/consult/", {"name": "홍길동"})
    assert response.status_code == 403
    html = response.content.decode()
    assert text in html
    assert 'href="/static/css/portal.css"' in html
    assert "DEBUG" not in html and "CSRF" not in html
