"""Sends through the real `twilio` SDK.

Errors are sorted for the delivery task: transient (5xx, 20429 rate limit, timeouts,
connection errors) are retried; permanent (21211 invalid number, 21610 unsubscribed,
21614 not a mobile number, any other 4xx) fail at once.
"""

import threading
from datetime import timedelta

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from .base import BaseSmsBackend, PermanentSmsError, TransientSmsError

TWILIO_BASE_URL = "https://api.twilio.com"
PERMANENT_CODES = {21211, 21610, 21614}
RATE_LIMIT_CODE = 20429


class PortalHttpClient(TwilioHttpClient):
    """The SDK's HTTP client with a timeout, and (for tests and local fakes) the API
    base `https://api.twilio.com` rewritten to `base_url`."""

    def __init__(self, base_url: str = "", timeout: float | None = None, **kwargs) -> None:
        super().__init__(timeout=timeout, **kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if self.base_url and url.startswith(TWILIO_BASE_URL):
            url = self.base_url + url[len(TWILIO_BASE_URL) :]
        return super().request(method, url, *args, **kwargs)


_clients: dict[tuple, Client] = {}
_clients_lock = threading.Lock()


def get_client() -> Client:
    """One SDK client (and its pooled HTTP session) per process and configuration."""
    config = (
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        settings.TWILIO_API_BASE_URL,
        float(settings.TWILIO_TIMEOUT_SECONDS),
    )
    with _clients_lock:
        client = _clients.get(config)
        if client is None:
            http_client = PortalHttpClient(base_url=config[2], timeout=config[3])
            client = Client(config[0], config[1], http_client=http_client)
            _clients[config] = client
        return client


def _rest_error(exc: TwilioRestException):
    code = exc.code
    text = f"Twilio {exc.status} {code or ''}: {exc.msg}".strip()
    if code == RATE_LIMIT_CODE or exc.status == 429:
        return TransientSmsError(text, str(RATE_LIMIT_CODE))
    if exc.status >= 500:
        return TransientSmsError(text, "server")
    if code in PERMANENT_CODES:
        return PermanentSmsError(text, str(code))
    return PermanentSmsError(text, str(code) if code else "rejected")


def _call(fn):
    """Run one SDK call, turning every failure into a transient or permanent SmsError."""
    try:
        return fn()
    except TwilioRestException as exc:
        raise _rest_error(exc) from exc
    except requests.exceptions.ConnectTimeout as exc:
        raise TransientSmsError(f"connect timeout: {exc}", "timeout") from exc
    except requests.exceptions.Timeout as exc:
        # The request went out: Twilio may have accepted it before we stopped waiting.
        raise TransientSmsError(f"timeout: {exc}", "timeout", outcome_unknown=True) from exc
    except requests.exceptions.ConnectionError as exc:
        raise TransientSmsError(
            f"connection error: {exc}", "connection", outcome_unknown=True
        ) from exc
    except (requests.exceptions.RequestException, TwilioException, ValueError) as exc:
        raise TransientSmsError(
            f"{exc.__class__.__name__}: {exc}", "server", outcome_unknown=True
        ) from exc


class TwilioBackend(BaseSmsBackend):
    def send(self, message) -> str:
        params: dict = {"to": message.to, "body": message.body}
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            params["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            params["from_"] = settings.TWILIO_FROM_NUMBER
        if settings.TWILIO_STATUS_CALLBACK_URL:
            params["status_callback"] = settings.TWILIO_STATUS_CALLBACK_URL
        client = get_client()
        result = _call(lambda: client.messages.create(**params))
        return result.sid

    def find_sent(self, message) -> str | None:
        """Twilio has no idempotency key for messages: look for a message with the same
        recipient and text created since this row was made."""
        client = get_client()
        recent = _call(lambda: client.messages.list(to=message.to, limit=20, page_size=20))
        since = message.created_at - timedelta(minutes=5)
        for item in recent:
            created = item.date_created
            if item.body == message.body and (created is None or created >= since):
                return item.sid
        return None
