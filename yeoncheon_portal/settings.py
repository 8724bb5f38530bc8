"""Settings for the Yeoncheon civil-complaint portal.

One file, every value read from the environment (twelve-factor). The defaults are the
embedded development setup: SQLite, in-process (eager) tasks, SMS printed to the console.
`.env.example` lists every variable. Production refuses to start on unsafe values through
the system checks in `yeoncheon_portal/checks.py`.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

# The development key: the check portal.E001 refuses it when DEBUG is off.
DEFAULT_SECRET_KEY = "dev-insecure-yeoncheon-portal-key-change-me"  # noqa: S105

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The county's civil-service contacts, shown wherever a citizen is told whom to call or
# write (page footers, forms, error pages, notices without an officer's line, Open311).
COUNTY_PHONE = env.str("COUNTY_PHONE", default="031-839-2114")
COUNTY_EMAIL = env.str("COUNTY_EMAIL", default="minwon@yeoncheon.go.kr")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_ratelimit",
    "csp",
    "axes",
    "django_otp",
    "staff_directory.mfa.apps.AuthenticatorAppsConfig",  # django_otp.plugins.otp_totp
    "yeoncheon_portal",
    "notifications",
    "staff_directory",
    "reception",
    "complaints",
    "compensation",
    "surveys",
    "open311",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "yeoncheon_portal.middleware.RejectNullCharactersMiddleware",
    "yeoncheon_portal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: request.user.is_verified() (signed in with a code).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff signed out after STAFF_SESSION_IDLE_MINUTES without a request.
    "yeoncheon_portal.middleware.StaffIdleTimeoutMiddleware",
    # Staff with an authenticator app must have given its code; with STAFF_MFA_REQUIRED,
    # staff without one are sent to enrol it first (staff_directory/mfa/).
    "staff_directory.mfa.middleware.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a flagged failed login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The benchmarks serve the same URLs plus a bare baseline view (bench/urls_bench.py).
ROOT_URLCONF = env.str("ROOT_URLCONF", default="yeoncheon_portal.urls")
WSGI_APPLICATION = "yeoncheon_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yeoncheon_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A database that does not answer gives the citizen a clear page (503, middleware
# DatabaseUnavailableMiddleware) instead of hanging until gunicorn's --timeout (30 s,
# docs/operations.md), which stays above both of these.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=5)  # seconds
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=20_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, tests, an embedded worker) share the file: wait, do not fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (shared between processes: rate limits and the deadline calendar use it) ----
REDIS_URL = env.str("REDIS_URL", default="")
# Seconds the shared cache stops asking Redis after a failed call (yeoncheon_portal/cache.py).
REDIS_CACHE_PAUSE_SECONDS = env.float("REDIS_CACHE_PAUSE_SECONDS", default=10.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env.str("REDIS_CACHE_URL", default=REDIS_URL),
            "OPTIONS": {
                # A cache outage must not take filing down with it.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # After a failure, this process stops asking Redis for a while
                # (yeoncheon_portal/cache.py): a hung Redis costs one timeout, not one
                # per cache call.
                "CONNECTION_POOL_CLASS": "yeoncheon_portal.cache.PausingConnectionPool",
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
else:
    # The embedded default has no Redis: a file cache is shared by the processes of one
    # machine. Its increments are not atomic, so under heavy concurrency a rate limit may
    # let a few extra requests through; production runs on Redis, where the check holds.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
        }
    }

# Citizen pages that are the same for everyone are kept rendered in the shared cache this
# many seconds at most (pagecache/__init__.py); a change to what they show drops
# them at once. 0 switches the page cache off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
# A web process serves a page it fetched from the shared cache this long without asking
# again: another process's change shows here at most this much later.
PUBLIC_PAGE_RECHECK_SECONDS = env.float("PUBLIC_PAGE_RECHECK_SECONDS", default=1.0)

# --- Rate limits (django-ratelimit on the shared cache) ---------------------------------
# Public POSTs and tracking lookups are limited per address; the answer is a Korean 429.
RATELIMIT_VIEW = "yeoncheon_portal.views.rate_limited"
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# When the shared cache cannot count (a Redis outage), requests go through uncounted: an
# outage must never tell a citizen "too many requests" or stop a filing.
RATELIMIT_FAIL_OPEN = True
# Behind the county's proxy the client address is in X-Forwarded-For (first hop).
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
PUBLIC_POST_RATE = env.str("PUBLIC_POST_RATE", default="10/m")
TRACKING_RATE = env.str("TRACKING_RATE", default="20/h")
# Wrong passwords for one private board post, from any address, before it is locked.
BOARD_UNLOCK_RATE = env.str("BOARD_UNLOCK_RATE", default="5/h")
OPEN311_KEY_RATE = env.str("OPEN311_KEY_RATE", default="60/m")  # per Open311 API key

# --- Celery -----------------------------------------------------------------------------
# Without REDIS_URL tasks run in-process (eager): the embedded default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a request when Redis is down: the outbox row is already saved.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False

# --- Notifications ---------------------------------------------------------------------
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_STATUS_CALLBACK_URL = env.str("TWILIO_STATUS_CALLBACK_URL", default="")
# Only for tests and local fakes: where the Twilio SDK sends its requests.
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="")
TWILIO_TIMEOUT_SECONDS = env.float("TWILIO_TIMEOUT_SECONDS", default=10.0)
# The outbox: a row queued past its due time or claimed this long ago is sent again by
# notifications.tasks.redispatch_stale (must exceed the longest send, Twilio's timeout).
NOTIFICATIONS_STALE_SECONDS = env.float("NOTIFICATIONS_STALE_SECONDS", default=300.0)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30.0)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600.0)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"연천군 민원 <{COUNTY_EMAIL}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # OWASP ASVS 2.1.1: at least 12 characters (Django's default is 8).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes counts failed logins per address and user name and locks the pair out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)  # hours
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_RESET_ON_SUCCESS = True
# No start-up banner: commands print only what they were asked for.
AXES_VERBOSE = False
# Behind the county's proxy the client address comes from the same header as rate limits.
AXES_IPWARE_META_PRECEDENCE_ORDER = list(dict.fromkeys([RATELIMIT_IP_META_KEY, "REMOTE_ADDR"]))

# --- Two-factor sign-in (django-otp: authenticator apps, TOTP) ------------------------
# Staff with a confirmed authenticator app give its 6-digit code at /admin/login/; a
# wrong or missing code counts as a failed sign-in for django-axes. With
# STAFF_MFA_REQUIRED, staff without an app are sent to /staff/me/otp/ until they enrol
# one. Off by default for the embedded demo and the tests; production sets 1.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)
# The account name the authenticator app shows above the code.
OTP_TOTP_ISSUER = "연천군 민원 포털"
# Nobody, administrators included, reads a clerk's secret or QR code back in the admin:
# a lost phone means removing the device and enrolling again.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Dashboard --------------------------------------------------------------------------
# The dashboard's period figures (aggregates, no personal data) are kept this many seconds
# in the shared cache: over a year of a large county they take seconds. 0 computes anew.
# Those of the named periods are computed ahead every five minutes (dashboard.tasks), so
# this must stay above five minutes for them never to go cold.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)

# --- Working time (the deadline clock) -----------------------------------------------
# Spans of a working day, local time. A county may move lunch by up to an hour.
WORKING_SPANS = env.list("WORKING_SPANS", default=["09:00-12:00", "13:00-18:00"])
# The first and last year the calendar covers; outside them the clock refuses to guess.
DEADLINE_CALENDAR_YEARS = tuple(env.list("DEADLINE_CALENDAR_YEARS", cast=int, default=[2020, 2040]))

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads live outside static/ and are served only through permission-checking views
# (attachments) or, for public staff photos, under /media/.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
# Uploaded files are readable by the portal's user and group only, never by others.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "yeoncheon_portal.views.csrf_failure"
# Staff accounts open personal data: their sessions end after this many idle minutes
# (yeoncheon_portal.middleware.StaffIdleTimeoutMiddleware) and when the browser closes.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp 4): no inline script or style anywhere, the admin
# included (Django 5.2's admin templates carry neither).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Personal data (개인정보 보호법) ---------------------------------------------------
# Closed filings are anonymised on January 1 after this many full years from closing;
# personal-data access logs are kept at least two years.
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=3)
ACCESS_LOG_RETENTION_YEARS = max(2, env.int("ACCESS_LOG_RETENTION_YEARS", default=2))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The Twilio SDK logs every request and its headers at INFO.
        "twilio.http_client": {"level": "WARNING"},
    },
}
