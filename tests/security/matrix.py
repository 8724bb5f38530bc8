"""Walking the URL conf for the authorisation matrix: every pattern, with its path
parameters filled from the objects the test created."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = (
    "anonymous",
    "citizen",
    "clerk",
    "other_clerk",
    "verifier",
    "manager",
    "superuser",
)


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route text when the pattern has no name
    route: str
    params: tuple[str, ...]


def walk(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern, depth first, with its full namespaced name."""
    routes: list[Route] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes += walk(entry.url_patterns, text, inner)
        elif isinstance(entry, URLPattern):
            params = tuple(entry.pattern.regex.groupindex)
            name = entry.name
            full = (f"{namespace}:{name}" if namespace else name) if name else text
            routes.append(Route(full, text, params))
    # Admin's catch-all and Django's own URLs appear once each; keep the first of a name.
    seen: set[str] = set()
    unique = []
    for route in routes:
        if route.name not in seen:
            seen.add(route.name)
            unique.append(route)
    return unique


def admin_model(name: str):
    """admin:reception_memo_change → (Memo, "change"), or (None, None)."""
    if not name.startswith("admin:"):
        return None, None
    short = name.split(":", 1)[1]
    for model in admin.site._registry:
        stem = f"{model._meta.app_label}_{model._meta.model_name}_"
        if short.startswith(stem):
            return model, short[len(stem) :]
    return None, None


def fill(route: Route, objects: dict) -> str:
    """A concrete URL for the route, its parameters taken from ``objects``."""
    model, _action = admin_model(route.name)
    values = {**objects["defaults"], **objects["params"].get(route.name, {})}
    if route.name.startswith("admin/") and "object_id" in route.params:
        # Django's unnamed redirect from admin/<app>/<model>/<id>/ to the change page.
        app_label, model_name = route.route.split("/")[1:3]
        instance = objects["admin_objects"].get(f"{app_label}.{model_name}")
        return f"/{route.route.split('<')[0]}{instance.pk if instance else 987654}/"
    if route.name == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    if route.name == "staff_media":
        return "/media/staff/missing.jpg"
    kwargs: dict[str, object] = {}
    for param in route.params:
        if param == "object_id" and model is not None:
            instance = objects["admin_objects"].get(model._meta.label_lower)
            kwargs[param] = instance.pk if instance is not None else 987654
        elif param == "object_id":  # view_on_site
            kwargs[param] = objects["complaint"].pk
        elif param == "content_type_id":
            kwargs[param] = ContentType.objects.get_for_model(objects["complaint"]).pk
        else:
            kwargs[param] = values[param]
    return reverse(route.name, kwargs=kwargs)


# --- POST: did the request reach the view, and what did it write? ----------------------


class ReachedViewMiddleware:
    """Installed last by the matrix: its ``process_view`` runs only once every other
    middleware (CSRF included) has let the request through to the view, so
    ``response.reached_view`` says whether the view itself answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.reached_view = getattr(request, "_matrix_reached_view", False)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._matrix_reached_view = True


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class WriteLog:
    """Every INSERT, UPDATE and DELETE that touched a row while it is open, as
    ``{table: rows}``: an UPDATE shows up although it changes no row count.

    A check on the recorder itself: the database's own count of changed rows
    (SQLite ``total_changes()``, PostgreSQL ``pg_stat_xact_user_tables``) must move
    exactly when a write was recorded, so a write that went around Django's cursor
    cannot pass unseen."""

    def __init__(self):
        self.tables: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = WRITE.match(sql)
        if match:
            rows = context["cursor"].rowcount
            if rows < 1 and " RETURNING " in sql.upper():
                rows = 1  # SQLite counts a RETURNING statement's rows only once fetched
            if rows > 0:
                table = match.group(1)
                self.tables[table] = self.tables.get(table, 0) + rows
        return result

    def __enter__(self):
        self._before = database_changes()
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)
        if exc[0] is None:
            self.changed = database_changes() - self._before
            assert bool(self.changed) == bool(self.tables), (
                f"{self.changed} rows changed, recorded: {self.tables}"
            )
        return False


def database_changes() -> int:
    """Rows inserted, updated or deleted so far on this connection (SQLite) or in this
    transaction (PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute(
                "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        return int(cursor.fetchone()[0])
