"""The Celery application: Redis broker, JSON only, acknowledged after the work is done."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yeoncheon_portal.settings")

app = Celery("yeoncheon_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
