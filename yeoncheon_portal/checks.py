"""Start-up checks that refuse an unsafe production configuration.

`DEBUG=0` is production: a missing or default SECRET_KEY, empty ALLOWED_HOSTS or an SMS
backend without its credentials stops `runserver`, `migrate`, gunicorn's first request and
`check --deploy` with a named error.
"""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

SMS_BACKENDS = {"console", "locmem", "twilio"}


@register(Tags.security, deploy=False)
def production_settings(app_configs, **kwargs) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.SMS_BACKEND not in SMS_BACKENDS:
        errors.append(
            Error(
                f"SMS_BACKEND={settings.SMS_BACKEND!r} is not one of {sorted(SMS_BACKENDS)}.",
                hint="Set SMS_BACKEND to twilio, console or locmem.",
                id="portal.E004",
            )
        )
    if settings.DEBUG:
        return errors
    if not settings.SECRET_KEY or settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is missing or is the development default while DEBUG is off.",
                hint="Set SECRET_KEY to a long random value (python -c 'import secrets; "
                "print(secrets.token_urlsafe(50))').",
                id="portal.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS is empty while DEBUG is off.",
                hint="Set ALLOWED_HOSTS to the portal's host names, comma-separated.",
                id="portal.E002",
            )
        )
    if not settings.REDIS_URL:
        errors.append(
            Warning(
                "REDIS_URL is empty while DEBUG is off: tasks run inside web requests and "
                "rate limits are not shared reliably.",
                hint="Set REDIS_URL and run a Celery worker and beat (see docs/operations.md).",
                id="portal.W002",
            )
        )
    if settings.SMS_BACKEND == "twilio":
        missing = [
            name
            for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")
            if not getattr(settings, name)
        ]
        if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER):
            missing.append("TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER")
        if missing:
            errors.append(
                Error(
                    "SMS_BACKEND=twilio but these settings are empty: " + ", ".join(missing),
                    hint="Set the Twilio credentials in the environment (see .env.example).",
                    id="portal.E003",
                )
            )
    elif settings.SMS_BACKEND in {"console", "locmem"}:
        errors.append(
            Warning(
                f"SMS_BACKEND={settings.SMS_BACKEND} sends no SMS while DEBUG is off.",
                hint="Set SMS_BACKEND=twilio with its credentials in production.",
                id="portal.W001",
            )
        )
    return errors


def refuse_unsafe_start() -> None:
    """Raise when a portal check fails: called by the WSGI entry point, so gunicorn
    refuses to serve with an unsafe production configuration."""
    from django.core.checks import run_checks
    from django.core.exceptions import ImproperlyConfigured

    failed = [
        m for m in run_checks(tags=[Tags.security]) if m.is_serious() and m.id.startswith("portal.")
    ]
    if failed:
        raise ImproperlyConfigured("; ".join(f"{m.id}: {m.msg}" for m in failed))
