"""The portal's URLs plus a bare view, the baseline of the web benchmark (bench/web.py).

Selected with ROOT_URLCONF=bench.urls_bench; the bare view exists only when PORTAL_BENCH=1,
so this module never adds anything to a server started without it.
"""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The least a Django page can do: the same middleware, no template, no query."""
    return HttpResponse("ok", content_type="text/plain")


if __name__ == "__main__":
    # `make bench` runs every bench/*.py: this one is bench/web.py's URLconf, not a bench.
    print("bench/urls_bench.py is the URLconf of bench/web.py; nothing to run on its own")
    raise SystemExit(0)

urlpatterns = [path("", include("yeoncheon_portal.urls"))]
if os.environ.get("PORTAL_BENCH") == "1":
    urlpatterns.insert(0, path("bench/bare/", bare, name="bench_bare"))

handler404 = "yeoncheon_portal.views.page_not_found"
