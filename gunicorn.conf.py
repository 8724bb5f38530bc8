"""gunicorn's settings for the portal's web process. gunicorn reads this file from its
working directory (`gunicorn yeoncheon_portal.wsgi` run in the repository, as in
docs/operations.md); options given on the command line override it."""

# The portal's page, in Korean and English, for a request line or headers over gunicorn's
# limits (414, 431) instead of gunicorn's English one.
worker_class = "yeoncheon_portal.gunicorn_worker.PortalWorker"
# Above the database's connect and statement timeouts (settings.py), so that a slow
# database gives the visitor the portal's 503 page before gunicorn kills the worker.
timeout = 30
