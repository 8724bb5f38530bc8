"""Test configuration shared by every app.

Service markers: a test marked `postgres`, `redis` or `worker` needs that real service.
The embedded run (SQLite, no REDIS_URL) leaves such tests out; the services run
(DATABASE_URL on PostgreSQL, REDIS_URL set) includes them, and there, with CI=true, a
service that does not answer fails the test instead of skipping it.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

pytest_plugins = [
    "tests.fixtures.cast",
    "tests.fixtures.browser",
    "tests.fixtures.notifications",
    "tests.fixtures.celery_worker",
]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def uses_postgres() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def uses_redis() -> bool:
    return bool(settings.REDIS_URL)


def service_missing(message: str) -> None:
    """A missing service fails in CI and skips on a developer's machine."""
    if IN_CI:
        pytest.fail(f"required service unavailable in CI: {message}", pytrace=False)
    pytest.skip(message)


def pytest_report_header(config):
    mode = "services" if uses_postgres() and uses_redis() else "embedded"
    return [
        f"portal test run: {mode} (database={settings.DATABASES['default']['ENGINE']}, "
        f"redis={'yes' if uses_redis() else 'no'}, CI={IN_CI})"
    ]


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        needs_pg = item.get_closest_marker("postgres") is not None
        needs_redis = (
            item.get_closest_marker("redis") is not None
            or item.get_closest_marker("worker") is not None
        )
        if (needs_pg and not uses_postgres()) or (needs_redis and not uses_redis()):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def redis_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 2):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _require_marked_services(request):
    needs_redis = request.node.get_closest_marker("redis") or request.node.get_closest_marker(
        "worker"
    )
    if needs_redis and not redis_reachable(settings.REDIS_URL):
        service_missing(f"Redis at {settings.REDIS_URL} does not answer")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Users are created by the hundred in tests: a fast hasher keeps the suite quick.
    Production keeps Django's PBKDF2 default."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Every test collects SMS and e-mail instead of sending, and keeps uploads apart."""
    settings.SMS_BACKEND = "locmem"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "ko"


@pytest.fixture(autouse=True)
def _fresh_page_memory():
    """A page a web process remembers (yeoncheon_portal/pagecache.py) is forgotten between
    tests: each test's database starts anew, and so does what it was drawn from."""
    from yeoncheon_portal import pagecache

    pagecache.forget_local()
    yield
    pagecache.forget_local()
