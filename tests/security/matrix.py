"""Walking the URL conf for the authorisation matrix: every pattern, with its path
parameters filled from the objects the test created."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
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
