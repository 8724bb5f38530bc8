"""Open311 over the complaints services: keys, filing through the API, and the public
queries (K3 O2 O4 C3).

A request filed here goes through `complaints.services.file_complaint` with the channel
`open311`, exactly like a web filing: same exclusions, deadline, stage, events and SMS.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from complaints.deadlines import SEOUL
from complaints.intake import Intake
from complaints.models import Channel, Complaint, ComplaintType, FilerType, StageEvent
from complaints.models.complaint import CLOSED_STAGES, OPEN_STAGES
from complaints.services import MAX_CONTENT, FilingExcluded, file_complaint

from .attributes import YES, InvalidAttribute, parse_attributes
from .models import ApiKey, Submission

JURISDICTION_ID = "yeoncheon.go.kr"
KEY_PREFIX = "yc311_"
PREFIX_LENGTH = 12
MAX_DAYS = 90
MAX_RESULTS = 1000
MAX_IDS = 100
MAX_TITLE_CHARS = 60
MAX_MEDIA_URL = 500
MAX_PLACE = 200
MAX_NAME_PART = 50
MAX_PHONE = 40
MAX_EMAIL = 254
# Tags, comments, doctype and processing instructions: a complaint is plain text.
STATUS_LIST = re.compile(r" *(open|closed) *(, *(open|closed) *)*")
MARKUP = re.compile(r"<\s*[A-Za-z!/?][^<>]*>")
# Open311 parameter names for the complaints service's field names, for error texts.
PARAMS = {
    "complaint_type": "service_code",
    "title": "description",
    "content": "description",
    "name": "first_name",
    "address": "attribute[contact_address]",
    "location_text": "address_string",
    "phone": "phone",
    "email": "email",
    "priority_reasons": "attribute[priority_reasons]",
    "attachments": "media_url",
}


class Open311Error(Exception):
    """An answer other than success: an HTTP status and Open311 error descriptions."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions) or [""]


def bad_request(param: str, message: str) -> Open311Error:
    return Open311Error(400, f"{param}: {message}")


# --- Keys -----------------------------------------------------------------------------
def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_key(name: str, *, contact: str = "", by=None, now: datetime) -> tuple[ApiKey, str]:
    """Create a key for a client; returns the row and the key, which is never stored."""
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("사용처 이름을 100자 이내로 적어 주세요.")]})
    contact = (contact or "").strip()
    if len(contact) > 200:
        raise ValidationError({"contact": [_("연락처를 200자 이내로 적어 주세요.")]})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name,
            contact=contact,
            prefix=raw[:PREFIX_LENGTH],
            key_hash=hash_key(raw),
            created_at=now,
            created_by=by,
        )
    return key, raw


def revoke_keys(keys: QuerySet[ApiKey], *, now: datetime) -> int:
    """Revoke keys at once; a revoked key is refused from the next request on."""
    with transaction.atomic():
        return keys.filter(revoked_at__isnull=True).update(revoked_at=now)


def authenticate(raw: str | None) -> ApiKey:
    """The active key for `raw`, or a 403."""
    raw = (raw or "").strip()
    if not raw:
        raise Open311Error(403, _("api_key: API 키가 필요합니다."))
    if len(raw) > 200:
        raise Open311Error(403, _("api_key: 올바른 API 키가 아닙니다."))
    key = ApiKey.objects.filter(key_hash=hash_key(raw)).first()
    if key is None:
        raise Open311Error(403, _("api_key: 올바른 API 키가 아닙니다."))
    if not key.is_active:
        raise Open311Error(403, _("api_key: 폐기된 API 키입니다."))
    return key


# --- Services -------------------------------------------------------------------------
def open311_types() -> QuerySet[ComplaintType]:
    """Complaint types that accept filings from outside apps."""
    return ComplaintType.objects.filter(is_active=True, accepts_open311=True).select_related(
        "handling_department"
    )


def get_type(code: str) -> ComplaintType:
    ctype = open311_types().filter(code=code).first()
    if ctype is None:
        raise Open311Error(404, _("service_code: 그런 서비스가 없습니다."))
    return ctype


# --- Filing ---------------------------------------------------------------------------
@dataclass
class RequestData:
    """What an Open311 POST carried, as strings (views parse nothing further)."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    description: str = ""
    media_url: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)


def _coordinate(param: str, value: str, limit: int) -> Decimal:
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, ValueError) as exc:
        raise bad_request(param, _("숫자로 적어 주세요.")) from exc
    if not number.is_finite() or not -limit <= number <= limit:
        raise bad_request(
            param, _("%(low)d에서 %(high)d 사이로 적어 주세요.") % {"low": -limit, "high": limit}
        )
    return number.quantize(Decimal("0.000001"))


def _short(param: str, value: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise bad_request(param, _("%(limit)d자 이내로 적어 주세요.") % {"limit": limit})
    return text


def _full_name(first: str, last: str) -> str:
    if not first or not last:
        return first or last
    # Korean names are written surname first, with no space: 홍 + 길동 → 홍길동.
    if all("\uac00" <= ch <= "\ud7a3" for ch in first + last):
        return last + first
    return f"{first} {last}"


def _title(description: str, ctype: ComplaintType) -> str:
    first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    text = " ".join(first_line.split()) or ctype.name
    if len(text) > MAX_TITLE_CHARS:
        text = text[: MAX_TITLE_CHARS - 1] + "…"
    return text


def build_intake(data: RequestData, ctype: ComplaintType) -> tuple[Intake, dict]:
    """Check the Open311 fields and turn them into an `Intake` (plus what only the API
    keeps: coordinates, the place as sent, the photo link). Raises Open311Error."""
    lat_raw, long_raw = data.lat.strip(), data.long.strip()
    address_string = _short("address_string", data.address_string, MAX_PLACE)
    if bool(lat_raw) != bool(long_raw):
        raise bad_request("lat", _("lat과 long을 함께 보내 주세요."))
    latitude = _coordinate("lat", lat_raw, 90) if lat_raw else None
    longitude = _coordinate("long", long_raw, 180) if long_raw else None
    if latitude is None and not address_string:
        raise bad_request(
            "lat", _("위치가 필요합니다. lat과 long, 또는 address_string을 보내 주세요.")
        )
    description = (data.description or "").strip()
    if len(description) > MAX_CONTENT:
        raise bad_request(
            "description", _("%(limit)d자 이내로 적어 주세요.") % {"limit": MAX_CONTENT}
        )
    if MARKUP.search(description):
        raise bad_request("description", _("HTML 태그 없이 글로만 적어 주세요."))
    media_url = (data.media_url or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError as exc:
            raise bad_request("media_url", _("http 또는 https 주소를 적어 주세요.")) from exc
        if len(media_url) > MAX_MEDIA_URL:
            raise bad_request(
                "media_url", _("%(limit)d자 이내로 적어 주세요.") % {"limit": MAX_MEDIA_URL}
            )
    try:
        attributes = parse_attributes(ctype, data.attributes)
    except InvalidAttribute as exc:
        raise bad_request(exc.param, exc.message) from exc
    filer_type = str(attributes.get("filer_type", FilerType.INDIVIDUAL))
    name = _full_name(
        _short("first_name", data.first_name, MAX_NAME_PART),
        _short("last_name", data.last_name, MAX_NAME_PART),
    )
    location = address_string or f"{latitude}, {longitude}"
    intake = Intake(
        channel=Channel.OPEN311,
        complaint_type=ctype,
        title=_title(description, ctype),
        content=description,
        name=name,
        phone=_short("phone", data.phone, MAX_PHONE),
        email=_short("email", data.email, MAX_EMAIL),
        address=str(attributes.get("contact_address", "")),
        lives_in_county=attributes.get("lives_in_county") == YES,
        filer_type=filer_type,
        acts_as_private_party=attributes.get("acts_as_private_party") == YES,
        about_contract=attributes.get("about_contract") == YES,
        priority_reasons=tuple(attributes.get("priority_reasons", ())),  # type: ignore[arg-type]
        location_text=location,
        sms_consent=attributes.get("sms_consent") == YES,
    )
    extra = {
        "latitude": latitude,
        "longitude": longitude,
        "address_string": address_string,
        "media_url": media_url,
    }
    return intake, extra


def file_request(data: RequestData, *, api_key: ApiKey, now: datetime) -> Submission:
    """File one Open311 request as a complaint (channel open311) and return its record.

    K3 exclusions and invalid facts raise Open311Error(400) and store nothing."""
    ctype = get_type(data.service_code.strip()) if data.service_code.strip() else None
    if ctype is None:
        raise bad_request("service_code", _("서비스 코드가 필요합니다."))
    intake, extra = build_intake(data, ctype)
    try:
        with transaction.atomic():
            complaint = file_complaint(intake, by=None, now=now)
            submission = Submission.objects.create(
                complaint=complaint,
                api_key=api_key,
                token=secrets.token_urlsafe(24),
                submitted_at=now,
                **extra,
            )
    except FilingExcluded as exc:
        exclusion = exc.exclusion
        raise Open311Error(
            400, f"{exclusion.reason} ({exclusion.law}) {exclusion.where_to_turn}"
        ) from exc
    except ValidationError as exc:
        raise Open311Error(400, *_validation_texts(exc)) from exc
    return submission


def _validation_texts(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [str(message) for message in exc.messages]
    texts = []
    for name, errors in exc.message_dict.items():
        param = PARAMS.get(name, name)
        texts += [f"{param}: {message}" for message in errors]
    return texts


# --- Public queries -------------------------------------------------------------------
def tracking_page() -> str:
    """The public tracking page, where the receipt number and the phone number open a
    filing. Never the signed link of the SMS: these answers are public."""
    try:
        path = reverse("complaints:track")
    except NoReverseMatch:
        path = "/complaints/track/"
    return settings.SITE_URL.rstrip("/") + path


def service_notice(complaint: Complaint, link: str | None = None) -> str:
    """The legal due time and how to follow the filing (`link`: the tracking page, when
    the caller already has it)."""
    due = timezone.localtime(complaint.due_at, SEOUL).strftime("%Y-%m-%d %H:%M")
    return _(
        "법정처리기한은 %(due)s까지입니다. 처리 상황은 %(link)s 에서 접수번호 "
        "%(receipt)s와 휴대전화 번호로 확인할 수 있습니다."
    ) % {"due": due, "link": link or tracking_page(), "receipt": complaint.receipt_number}


def public_requests() -> QuerySet[Complaint]:
    """Filings of the Open311 services, with everything a public answer shows in one
    query: type, department, the time of the last event and what the API's own record
    adds (the place as sent, coordinates, photo link; None for other channels' filings)."""
    last_event = StageEvent.objects.filter(complaint=OuterRef("pk")).order_by("-at", "-id")
    return (
        Complaint.objects.filter(complaint_type__accepts_open311=True)
        .select_related("complaint_type", "department")
        .annotate(
            updated_at=Subquery(last_event.values("at")[:1]),
            place=F("open311__address_string"),
            lat=F("open311__latitude"),
            long=F("open311__longitude"),
            media_url=F("open311__media_url"),
        )
    )


def get_request(receipt_number: str) -> Complaint:
    complaint = public_requests().filter(receipt_number=receipt_number).first()
    if complaint is None:
        raise Open311Error(404, _("service_request_id: 그런 민원이 없습니다."))
    return complaint


def get_token(token: str) -> Submission:
    submission = (
        Submission.objects.select_related("complaint").filter(token=token).first()
        if len(token) <= 40
        else None
    )
    if submission is None:
        raise Open311Error(404, _("token: 그런 토큰이 없습니다."))
    return submission


def _moment(param: str, value: str) -> datetime:
    value = value.strip()
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = datetime(day.year, day.month, day.day)
    except (ValueError, TypeError, OverflowError) as exc:
        raise bad_request(param, _("ISO 8601 날짜와 시각으로 적어 주세요.")) from exc
    if moment is None:
        raise bad_request(param, _("ISO 8601 날짜와 시각으로 적어 주세요."))
    if not 1900 <= moment.year <= 2999:
        raise bad_request(param, _("1900년부터 2999년 사이의 날짜를 적어 주세요."))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=SEOUL)
    return moment


@dataclass(frozen=True)
class RequestFilter:
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


def _comma_list(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


def parse_filter(params: dict[str, str], *, now: datetime) -> RequestFilter:
    """Read the GET requests parameters; raise Open311Error(400) on bad ones."""
    ids = _comma_list(params.get("service_request_id", ""))
    if len(ids) > MAX_IDS:
        raise bad_request(
            "service_request_id",
            _("한 번에 %(limit)d건까지 찾을 수 있습니다.") % {"limit": MAX_IDS},
        )
    start_raw, end_raw = params.get("start_date", ""), params.get("end_date", "")
    start = _moment("start_date", start_raw) if start_raw.strip() else None
    end = _moment("end_date", end_raw) if end_raw.strip() else None
    span = timedelta(days=MAX_DAYS)
    # Neither given: the last MAX_DAYS days; one given: MAX_DAYS from or up to it.
    if end is None:
        end = now if start is None else start + span
    if start is None:
        start = end - span
    if end < start:
        raise bad_request("end_date", _("end_date는 start_date보다 늦어야 합니다."))
    if end - start > span:
        raise bad_request(
            "end_date", _("기간은 %(days)d일을 넘을 수 없습니다.") % {"days": MAX_DAYS}
        )
    status = params.get("status")
    statuses = _comma_list(status or "")
    if status is not None and not STATUS_LIST.fullmatch(status):
        raise bad_request("status", _("open 또는 closed로 적어 주세요."))
    if ids:
        # The spec: with service_request_id every other filter is ignored (once it is
        # known to be well formed).
        return RequestFilter(ids=ids)
    return RequestFilter(
        service_codes=_comma_list(params.get("service_code", "")),
        start=start,
        end=end,
        statuses=statuses,
    )


def find_requests(flt: RequestFilter) -> list[Complaint]:
    """At most MAX_RESULTS filings, newest first, in one query."""
    qs = public_requests()
    if flt.ids:
        qs = qs.filter(receipt_number__in=flt.ids)
    else:
        qs = qs.filter(received_at__gte=flt.start, received_at__lte=flt.end)
        if flt.service_codes:
            qs = qs.filter(complaint_type__code__in=flt.service_codes)
        if set(flt.statuses) == {"open"}:
            qs = qs.filter(stage__in=OPEN_STAGES)
        elif set(flt.statuses) == {"closed"}:
            qs = qs.filter(stage__in=CLOSED_STAGES)
    return list(qs.order_by("-received_at", "-id")[:MAX_RESULTS])
