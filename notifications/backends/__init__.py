"""SMS backends, chosen by `settings.SMS_BACKEND` the way Django chooses e-mail backends:
`twilio` sends, `console` prints, `locmem` collects for tests."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import BaseSmsBackend, PermanentSmsError, SmsError, TransientSmsError

BACKENDS = {
    "twilio": "notifications.backends.twilio.TwilioBackend",
    "console": "notifications.backends.console.ConsoleBackend",
    "locmem": "notifications.backends.locmem.LocmemBackend",
}

__all__ = [
    "BaseSmsBackend",
    "PermanentSmsError",
    "SmsError",
    "TransientSmsError",
    "get_backend",
]


def get_backend(name: str | None = None) -> BaseSmsBackend:
    """The configured backend; a dotted path works too (a custom backend)."""
    name = name or settings.SMS_BACKEND
    return import_string(BACKENDS.get(name, name))()
