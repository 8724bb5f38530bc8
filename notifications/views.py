"""The Twilio status callback: signed, idempotent, always quick."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from . import services

logger = logging.getLogger(__name__)


def _public_url(request: HttpRequest) -> str:
    """The URL Twilio signed: the configured callback URL (what we gave Twilio), else the
    URL as this request saw it."""
    return settings.TWILIO_STATUS_CALLBACK_URL or request.build_absolute_uri()


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    signature = request.headers.get("X-Twilio-Signature", "")
    params = {key: request.POST.get(key, "") for key in request.POST}
    token = settings.TWILIO_AUTH_TOKEN
    if not token or not signature:
        return HttpResponseForbidden()
    if not RequestValidator(token).validate(_public_url(request), params, signature):
        logger.warning("Twilio status callback with a wrong signature")
        return HttpResponseForbidden()
    services.record_provider_status(
        provider_id=params.get("MessageSid", ""),
        provider_status=params.get("MessageStatus", ""),
        error_code=params.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)
