"""WSGI entry point (gunicorn yeoncheon_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yeoncheon_portal.settings")

application = get_wsgi_application()

from yeoncheon_portal.checks import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()
