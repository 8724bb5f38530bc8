"""Test configuration shared by every app.

Service markers: a test marked `postgres`, `redis` or `worker` needs that real service.
The embedded run (SQLite, no REDIS_URL) leaves such tests out; the services run
(DATABASE_URL on PostgreSQL, REDIS_URL set) includes them, and there, with CI=true, a
service that does not answer fails the test instead of skipping it.
"""

import datetime
import os
import socket
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from tests.fuzzing import load_profile

pytest_plugins = [
    "tests.fixtures.cast",
    "tests.fixtures.browser",
    "tests.fixtures.notifications",
    "tests.fixtures.celery_worker",
]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Hypothesis: the everyday `make test` runs the quick profile; CI's services run sets
# HYPOTHESIS_PROFILE=full (tests/fuzzing.py names the example counts of both).
load_profile()


def uses_postgres() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def uses_redis() -> bool:
    return bool(settings.REDIS_URL)


def service_missing(message: str) -> None:
    """A missing service fails in CI and skips on a developer's machine."""
    if IN_CI:
        pytest.fail(f"required service unavailable in CI: {message}", pytrace=False)
    pytest.skip(message)


def pytest_configure(config):
    """Under pytest-xdist each worker process gets a shared cache of its own, so that
    parallel tests never read each other's rate-limit counters, queued tasks or kept
    pages: in the services run the Redis database after REDIS_URL's, one per worker
    (Celery workers the tests start inherit REDIS_URL); a folder per worker in the
    embedded run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    if settings.REDIS_URL:
        parsed = urlparse(settings.REDIS_URL)
        database = int(parsed.path.strip("/") or 0) + 1 + number
        url = parsed._replace(path=f"/{database}").geturl()
        settings.REDIS_URL = settings.CELERY_BROKER_URL = url
        settings.CACHES["default"]["LOCATION"] = url
        os.environ["REDIS_URL"] = url
    else:
        location = settings.CACHES["default"]["LOCATION"]
        settings.CACHES["default"]["LOCATION"] = f"{location}-{worker}"


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


# Every test starts on this instant, a working Tuesday morning in Seoul, and the clock
# runs on from there: no test can depend on the day the suite happens to run. A test that
# needs another moment travels there itself (time_machine.travel nests).
PINNED_NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    """Tests marked `worker` share time with a Celery worker process, which stamps and
    claims rows by its own clock: they keep the machine's clock."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


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
    """A page a web process remembers (pagecache/__init__.py) is forgotten between
    tests: each test's database starts anew, and so does what it was drawn from."""
    import pagecache

    pagecache.forget_local()
    yield
    pagecache.forget_local()
