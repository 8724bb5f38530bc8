"""GeoReport v2 endpoints: parse the request, call `open311.services`, render.

Every endpoint answers in the format its suffix names (`.json` or `.xml`) and every
failure is an Open311 error list: 403 for a missing, wrong or revoked key, 404 for an
unknown resource, 429 over the key's rate, 400 for anything else.
"""

from __future__ import annotations

import functools
from datetime import datetime

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from complaints.models import Complaint, Stage

from . import services
from .attributes import ATTRIBUTE_FIELD, attributes_for
from .renderers import iso, render, render_errors
from .schema import openapi_document
from .services import JURISDICTION_ID, Open311Error

CHANGESET = datetime.fromisoformat("2026-11-26T09:00:00+09:00")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def _limited(request: HttpRequest, key) -> bool:
    if key is not None:
        # Per key: its id and a piece of its hash, so a recreated id never inherits counts.
        ident = f"{key.pk}:{key.key_hash[:12]}"
        return is_ratelimited(
            request,
            group="open311:key",
            key=lambda _group, _request: ident,
            rate=settings.OPEN311_KEY_RATE,
            increment=True,
        )
    return is_ratelimited(
        request,
        group="open311:address",
        key=_address,
        rate=settings.OPEN311_KEY_RATE,
        increment=True,
    )


def _address(_group, request: HttpRequest) -> str:
    # The client address, as the site's other limits read it; a request without one (a
    # misconfigured proxy) shares one bucket rather than failing.
    value = str(request.META.get(settings.RATELIMIT_IP_META_KEY) or "")
    return value.split(",")[0].strip()[:64] or "unknown"


def endpoint(*methods: str, key_required: bool = False):
    """Method check, format, jurisdiction, key and rate limit; Open311Error → error list."""

    def decorate(handler):
        @csrf_exempt
        @functools.wraps(handler)
        def view(request: HttpRequest, fmt: str, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = render_errors(fmt, 405, [_("이 주소에서 쓸 수 없는 요청 방식입니다.")])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                params = request.POST if request.method == "POST" else request.GET
                if any("\x00" in value for values in params.lists() for value in values[1]) or any(
                    "\x00" in str(value) for value in kwargs.values()
                ):
                    # PostgreSQL refuses NUL in text: a NUL in the path is a 400, not a 500.
                    raise Open311Error(400, _("요청에 쓸 수 없는 문자가 있습니다."))
                if params.get("jurisdiction_id", JURISDICTION_ID).strip() != JURISDICTION_ID:
                    raise Open311Error(404, _("jurisdiction_id: 그런 관할 기관이 없습니다."))
                raw_key = params.get("api_key")
                key = (
                    services.authenticate(raw_key) if key_required or raw_key is not None else None
                )
                if _limited(request, key):
                    response = render_errors(
                        fmt, 429, [_("요청이 너무 많습니다. 잠시 뒤에 다시 시도해 주세요.")]
                    )
                    response["Retry-After"] = "60"
                    return response
                return handler(request, fmt, key=key, **kwargs)
            except Open311Error as exc:
                return render_errors(fmt, exc.status, exc.descriptions)
            except (MultiPartParserError, SuspiciousOperation, BadRequest):
                # A body Django cannot read (broken multipart, too many fields, too big).
                return render_errors(fmt, 400, [_("요청 본문을 읽을 수 없습니다.")])

        return view

    return decorate


@endpoint("GET", "HEAD")
def discovery(request, fmt, key):
    base = settings.SITE_URL.rstrip("/") + "/open311/v2"
    data = {
        "changeset": CHANGESET,
        "contact": _("연천군청 민원봉사과 %(phone)s, %(email)s")
        % {"phone": settings.COUNTY_PHONE, "email": settings.COUNTY_EMAIL},
        "key_service": _(
            "API 키는 민원봉사과에 신청하세요(%(phone)s). 관리자가 키를 발급하면 "
            "한 번만 보여 드립니다."
        )
        % {"phone": settings.COUNTY_PHONE},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", data)


def _service(ctype) -> dict:
    department = ctype.handling_department
    group = department.display_name if department else ""
    return {
        "service_code": ctype.code,
        "service_name": ctype.display_name,
        "description": ctype.display_description,
        # Every type asks for the filer's facts (K3), so each has a definition.
        "metadata": True,
        # Each request gets its receipt number at once (online filings are received on
        # arrival), so service_request_id comes back in the POST answer: realtime.
        "type": "realtime",
        "keywords": ",".join(filter(None, [ctype.get_kind_display(), group])),
        "group": group,
    }


@endpoint("GET", "HEAD")
def service_list(request, fmt, key):
    return render(fmt, "services", [_service(ctype) for ctype in services.open311_types()])


@endpoint("GET", "HEAD")
def service_definition(request, fmt, key, service_code: str):
    ctype = services.get_type(service_code)
    data = {
        "service_code": ctype.code,
        "attributes": [item.as_dict() for item in attributes_for(ctype)],
    }
    return render(fmt, "service_definition", data)


STAGE_LABELS = dict(Stage.choices)


def _public(complaint: Complaint, link: str) -> dict:
    """A filing as the public may see it (`services.public_requests`): no names, phones,
    e-mails, nor the citizen's own words (민원 처리에 관한 법률 제26조 keeps a complaint's
    content confidential). `link`: the tracking page, looked up once per answer."""
    return {
        "service_request_id": complaint.receipt_number,
        "status": "open" if complaint.is_open else "closed",
        "status_notes": str(STAGE_LABELS.get(complaint.stage, complaint.stage)),
        "service_name": complaint.complaint_type.display_name,
        "service_code": complaint.complaint_type.code,
        "agency_responsible": complaint.department.display_name,
        "service_notice": services.service_notice(complaint, link),
        "requested_datetime": iso(complaint.received_at),
        "updated_datetime": iso(complaint.updated_at or complaint.received_at),
        "expected_datetime": iso(complaint.due_at),
        "address": complaint.place or complaint.location_text,
        "lat": complaint.lat,
        "long": complaint.long,
        "media_url": complaint.media_url or "",
    }


def _posted(request: HttpRequest) -> services.RequestData:
    data = services.RequestData(
        **{
            name: request.POST.get(name, "")
            for name in (
                "service_code",
                "lat",
                "long",
                "address_string",
                "first_name",
                "last_name",
                "phone",
                "email",
                "description",
                "media_url",
            )
        }
    )
    for name, values in request.POST.lists():
        match = ATTRIBUTE_FIELD.match(name)
        if match:
            data.attributes.setdefault(match.group(1), []).extend(values)
    return data


@endpoint("POST", key_required=True)
def _create(request, fmt, key):
    submission = services.file_request(_posted(request), api_key=key, now=timezone.now())
    complaint = submission.complaint
    answer = {
        "service_request_id": complaint.receipt_number,
        "token": submission.token,
        "service_notice": services.service_notice(complaint),
    }
    return render(fmt, "service_requests", [answer], status=201)


@csrf_exempt
def requests_view(request, fmt):
    """GET lists filings (public); POST files one (api_key required)."""
    if request.method == "POST":
        return _create(request, fmt)
    if request.method not in ("GET", "HEAD"):
        response = render_errors(fmt, 405, [_("이 주소에서 쓸 수 없는 요청 방식입니다.")])
        response["Allow"] = "GET, HEAD, POST"
        return response
    return _list(request, fmt)


@endpoint("GET", "HEAD")
def _list(request, fmt, key):
    flt = services.parse_filter(request.GET.dict(), now=timezone.now())
    link = services.tracking_page()
    found = services.find_requests(flt)
    return render(fmt, "service_requests", [_public(complaint, link) for complaint in found])


@endpoint("GET", "HEAD")
def request_detail(request, fmt, key, request_id: str):
    complaint = services.get_request(request_id)
    return render(fmt, "service_requests", [_public(complaint, services.tracking_page())])


@endpoint("GET", "HEAD")
def token_detail(request, fmt, key, token: str):
    submission = services.get_token(token)
    answer = {
        "service_request_id": submission.complaint.receipt_number,
        "token": submission.token,
    }
    return render(fmt, "service_requests", [answer])


def openapi(request):
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def not_found(request, path: str = ""):
    fmt = "xml" if path.endswith(".xml") else "json"
    return render_errors(fmt, 404, [_("그런 주소가 없습니다.")])
