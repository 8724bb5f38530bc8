"""Rendered public pages, kept in the shared cache and answered without rendering again.

The citizen pages that are the same for everyone (home, the directory, a department, the
type list, the empty forms) cost a database query or two and several milliseconds of
template rendering each time. Decorated with :func:`public_page`, a page is rendered once
and its HTML kept in the shared cache (Redis in production, so every web process shares
it); later visitors get that HTML with their own per-request values put in:

- the CSRF token: every ``csrfmiddlewaretoken`` field gets the visitor's own token;
- values that must be new on every answer (the filing form's one-time token): the view
  asks :func:`per_request` for them, which during a cached render returns a placeholder
  and remembers which function makes a fresh value.

Only what is the same for every citizen is cached (never a citizen's own tracking page,
which carries a filing's title, result and hold reason): a GET without a query string from a
visitor without a session or pending messages (signed-in staff and anyone with a notice
to show get the page rendered as before), answered 200. The key holds the path, the
language, the larger-text switch and the local date.

A kept page is dropped when the content behind it changes: saving or deleting a model
listed in ``INVALIDATING_MODELS`` raises one shared generation number, and a page kept
under an older number is rendered again. Bulk updates send no signals; code that makes
one calls :func:`invalidate`. Whatever is missed (and what depends on the clock alone,
such as an absence that ends at 14:00) is at most ``PUBLIC_PAGE_CACHE_SECONDS`` old
(default 60; 0 switches the cache off).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.module_loading import import_string

#: The cookie of the text-size switch: a kept page is kept apart for each size.
LARGE_TEXT_COOKIE = "large_text"


GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page:"
CSRF_PLACEHOLDER = "__portal_csrf_token__"
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
_FILL_ATTRIBUTE = "_pagecache_fillers"

# Whose change alters a cached page: the directory (departments, staff, presence,
# substitutes), approved commendations on its cards, the types and their periods, and
# the office calendar behind the deadlines a form announces.
INVALIDATING_MODELS = (
    "staff_directory.*",
    "reception.Commendation",
    "complaints.ComplaintType",
    "complaints.Closure",
)


def seconds() -> int:
    return settings.PUBLIC_PAGE_CACHE_SECONDS


def invalidate() -> None:
    """Drop every kept page; each is rendered again on its next visit.

    Inside a transaction this happens twice: now, and again once it commits, so that a
    page rendered by another process from the not yet committed state is not kept.
    """
    forget_local()
    _next_generation()
    if transaction.get_connection().in_atomic_block:

        def again_on_commit() -> None:
            forget_local()
            _next_generation()

        transaction.on_commit(again_on_commit)


def _next_generation() -> int:
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or it was evicted: start a new one
        generation = time.time_ns()
        cache.set(GENERATION_KEY, generation, None)
        return generation


def per_request(request: HttpRequest, make: Callable[[], str]) -> str:
    """``make()`` now, or, while the page is rendered for the cache, a placeholder that
    every answer replaces with a fresh ``make()``. ``make`` must be a module-level
    function (it is stored by its dotted name)."""
    fillers: dict[str, str] | None = getattr(request, _FILL_ATTRIBUTE, None)
    if fillers is None:
        return make()
    placeholder = f"__portal_fill_{len(fillers)}__"
    fillers[placeholder] = f"{make.__module__}.{make.__qualname__}"
    return placeholder


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or request.GET or seconds() <= 0:
        return False
    # A session may carry a signed-in user or a notice; a messages cookie a notice.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in (
        cookies
    )


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    large = "L" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "1" else "N"
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"{KEY_PREFIX}{path}:{language}:{large}:{timezone.localdate():%Y%m%d}"


def _answer(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    content: str = kept["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, escape(get_token(request)))
    return HttpResponse(_filled(content, kept["fillers"]), content_type=kept["content_type"])


def _filled(content: str, fillers: dict[str, str]) -> str:
    for placeholder, maker in fillers.items():
        content = content.replace(placeholder, escape(import_string(maker)()))
    return content


def _keep(response: HttpResponse, fillers: dict[str, str], key: str, generation: int) -> None:
    content = response.content.decode(response.charset)
    content = _CSRF_FIELD.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", content)
    kept = {
        "generation": generation,
        "content": content,
        "fillers": fillers,
        "content_type": response["Content-Type"],
        "kept_at": time.time(),
    }
    cache.set(key, kept, seconds())
    _remember(key, kept)


# --- This process's memory of recently served pages --------------------------------------
# A page served from the shared cache is remembered here, and for the next
# ``PUBLIC_PAGE_RECHECK_SECONDS`` (default 1) served without asking the shared cache
# again: another process's change shows here at most that much later (this process's own
# changes at once: ``invalidate`` forgets everything). Bounded: forgotten when full.
LOCAL_PAGES_MAX = 512
_local: dict[str, tuple[float, dict[str, Any]]] = {}
_clock = time.monotonic


def _recent(key: str) -> dict[str, Any] | None:
    entry = _local.get(key)
    if entry is None:
        return None
    checked_at, kept = entry
    recheck = settings.PUBLIC_PAGE_RECHECK_SECONDS
    if _clock() - checked_at >= recheck or time.time() - kept.get("kept_at", 0) >= seconds():
        del _local[key]
        return None
    return kept


def _remember(key: str, kept: dict[str, Any]) -> None:
    if len(_local) >= LOCAL_PAGES_MAX:
        _local.clear()
    _local[key] = (_clock(), kept)


def forget_local() -> None:
    """Forget this process's remembered pages (the shared cache keeps them)."""
    _local.clear()


def _refill(response: HttpResponse, fillers: dict[str, str]) -> HttpResponse:
    """Put fresh values where this render left placeholders."""
    if fillers:
        content = _filled(response.content.decode(response.charset), fillers)
        response.content = content.encode(response.charset)
    return response


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the page ``view`` renders for anonymous visitors (see the module docstring).
    Only for pages that are the same for every visitor: never a citizen's own filing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        kept = _recent(key)
        if kept is not None:
            return _answer(request, kept)
        found = cache.get_many([key, GENERATION_KEY])
        generation = found.get(GENERATION_KEY) or _next_generation()
        kept = found.get(key)
        if kept is not None and kept["generation"] == generation:
            _remember(key, kept)
            return _answer(request, kept)
        setattr(request, _FILL_ATTRIBUTE, {})
        try:
            response = view(request, *args, **kwargs)
        finally:
            fillers = request.__dict__.pop(_FILL_ATTRIBUTE)
        if response.status_code == 200 and not response.streaming:
            _keep(response, fillers, key, generation)
        return _refill(response, fillers)

    return wrapper


def _changed(sender: type, **kwargs: Any) -> None:
    if sender in _watched:
        invalidate()


_watched: set[type] = set()


def connect_signals() -> None:
    """Called once the app registry is ready (PortalConfig.ready)."""
    for label in INVALIDATING_MODELS:
        app_label, _dot, model_name = label.partition(".")
        try:
            config = apps.get_app_config(app_label)
        except LookupError:  # an app this installation leaves out
            continue
        if model_name == "*":
            _watched.update(config.get_models(include_auto_created=True))
        else:
            _watched.add(config.get_model(model_name))
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"pagecache-{id(signal)}")
