"""Project-wide pages: home, health, text size and the error pages."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from notifications.tasks import HEARTBEAT_KEY
from pagecache import LARGE_TEXT_COOKIE, public_page

HEARTBEAT_MAX_AGE_SECONDS = 180

logger = logging.getLogger(__name__)


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """Switch larger text on or off; remembered in a cookie, works without JavaScript."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("large") == "1":
        response.set_cookie(
            LARGE_TEXT_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE)
    return response


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any failure means unhealthy; the log says which
        logger.warning("healthz: database unreachable (%s: %s)", exc.__class__.__name__, exc)
        return "error"


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from yeoncheon_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
        return "ok"
    except Exception as exc:
        logger.warning("healthz: broker unreachable (%s: %s)", exc.__class__.__name__, exc)
        return "error"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker and worker state as JSON: 200 when healthy, 503 when not."""
    database = _database_state()
    broker = _broker_state()
    beat = cache.get(HEARTBEAT_KEY)
    worker: dict[str, str | float | None]
    if broker == "eager":
        worker = {"state": "eager", "last_heartbeat": None}
        worker_ok = True
    else:
        age = None if beat is None else round(time.time() - float(beat), 1)
        worker_ok = age is not None and age <= HEARTBEAT_MAX_AGE_SECONDS
        worker = {"state": "ok" if worker_ok else "stale", "last_heartbeat_age_seconds": age}
    healthy = database == "ok" and broker in {"ok", "eager"} and worker_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "unhealthy",
            "database": database,
            "broker": broker,
            "worker": worker,
        },
        status=200 if healthy else 503,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the portal's own page in the visitor's language (Django's
    default page is unstyled under the CSP and speaks of DEBUG)."""
    return render(request, "403_csrf.html", status=403)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-ratelimit's answer: a Korean page with status 429 and a Retry-After hint."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
