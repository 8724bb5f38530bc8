"""Transport and browser protections: HSTS, secure cookies, nosniff, referrer policy,
the Content Security Policy, and no inline script or style in any template."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)

PRODUCTION_PROBE = r"""
import json, os
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment()
# collectstatic has not run here: the manifest storage of production has nothing to read.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(HTTP_HOST="minwon.yeoncheon.go.kr")
plain = client.get("/complaints/track/")
page = client.get("/complaints/track/", secure=True)
cookie = page.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "status": page.status_code,
    "headers": {k: v for k, v in page.items()},
    "csrf_cookie_secure": bool(cookie and cookie["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


@pytest.fixture(scope="module")
def production_response(tmp_path_factory):
    """A response from a separate process whose settings were read with DEBUG=0."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yeoncheon_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "probe-" + "x" * 60,
        "ALLOWED_HOSTS": "minwon.yeoncheon.go.kr",
        # The tracking page reads nothing from the database; an empty file will do.
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('probe') / 'probe.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_redirect_plain_http_to_https(production_response):
    assert production_response["plain_status"] == 301
    assert production_response["plain_location"].startswith("https://minwon.yeoncheon.go.kr/")


def test_production_response_carries_security_headers(production_response):
    headers = {k.lower(): v for k, v in production_response["headers"].items()}
    assert production_response["status"] == 200
    assert headers["strict-transport-security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert production_response["csrf_cookie_secure"] is True
    assert production_response["session_cookie_secure"] is True
    assert production_response["session_cookie_httponly"] is True


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = [part.strip().split(" ", 1) for part in header.split(";") if part.strip()]
    return {name: (rest[0] if rest else "") for name, *rest in parts}


@pytest.mark.django_db
def test_csp_policy_on_citizen_pages(client):
    policy = _policy(client.get(reverse("complaints:track")))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in client.get("/").get("Content-Security-Policy")


@pytest.mark.django_db
def test_admin_works_under_the_same_policy(client_for, superuser):
    """Django 5.2's admin has no inline script or style attribute: no exception needed."""
    client = client_for(superuser)
    for url in ("/admin/", "/admin/complaints/complaint/", "/admin/auth/user/add/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=\"", html), url


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"|javascript:", re.IGNORECASE)


def _page_templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules", "staticfiles"}:
            continue
        # E-mails are read in mail clients, not under the site's CSP; they need inline CSS.
        if "emails" in relative.parts:
            continue
        yield relative


def test_no_template_has_inline_script_or_style():
    offenders = []
    for relative in _page_templates():
        text = (ROOT / relative).read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_STYLE.search(text):
            offenders.append(str(relative))
    assert offenders == []


@pytest.mark.django_db
def test_citizen_pages_render_without_inline_script_or_style(client, roads_complaint):
    urls = [
        "/",
        reverse("complaints:new"),
        reverse("complaints:new_form", args=[roads_complaint.complaint_type.code]),
        reverse("complaints:track"),
        "/consult/",
        "/board/",
        "/board/new/",
        "/praise/",
        "/staff/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url
