"""The notification platform's public API: queue an SMS or an e-mail, deliver it, retry.

Callers hand over a recipient, a template name with its context and an idempotency key.
The row is written in the caller's transaction; delivery is queued on commit. The same
key twice is one message.
"""

import logging
import random
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .backends import PermanentSmsError, SmsError, TransientSmsError, get_backend
from .models import ERROR_TEXTS, STATUS_RANK, EmailMessage, SmsMessage, Status
from .phones import normalize_phone
from .segments import MAX_BODY_CHARACTERS, count_segments

logger = logging.getLogger(__name__)

# The two concrete outbox models. OutboxMessage is abstract: it has no manager, so the
# helpers below that query "either table" are generic over these two classes.
OutboxModel = TypeVar("OutboxModel", SmsMessage, EmailMessage)

__all__ = [
    "InvalidEmailAddress",
    "deliver_email_message",
    "deliver_sms_message",
    "redispatch_stale",
    "retry_failed",
    "send_email",
    "send_sms",
]


class InvalidEmailAddress(ValueError):
    def __init__(self) -> None:
        super().__init__(_("메일 주소 형식이 올바르지 않습니다."))


# --- Settings ----------------------------------------------------------------------------
def stale_after() -> timedelta:
    """How long a row may sit queued (past its due time) or claimed before the
    re-dispatcher sends it again."""
    return timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS)


def max_attempts() -> int:
    return settings.NOTIFICATIONS_MAX_ATTEMPTS


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with jitter: base·2^(n-1), capped, times 0.5–1.5."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    cap = settings.NOTIFICATIONS_RETRY_MAX_SECONDS
    return min(cap, base * 2 ** max(attempt - 1, 0)) * random.uniform(0.5, 1.5)  # noqa: S311


# --- Rendering --------------------------------------------------------------------------
def _render_text(template_name: str, context: dict) -> str:
    """Plain text: no HTML escaping (an SMS shows `&` as `&`)."""
    template = get_template(template_name)
    if not isinstance(template, DjangoTemplate):
        # Context(autoescape=False) is the Django template language's; another engine
        # would have to turn escaping off its own way.
        raise TypeError(f"{template_name} must be a Django template, not {type(template)!r}")
    return template.template.render(Context(context, autoescape=False)).strip()


def render_sms(template: str, context: dict) -> str:
    """The SMS text for `sms/<template>.txt` in the active language."""
    return _render_text(f"sms/{template}.txt", context)


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) from `emails/<template>_subject.txt`, `.txt`, `.html`."""
    subject = " ".join(_render_text(f"emails/{template}_subject.txt", context).split())
    text = _render_text(f"emails/{template}.txt", context)
    try:
        html = render_to_string(f"emails/{template}.html", context).strip()
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 200:
        raise ValueError("an idempotency key of 1–200 characters is required")
    return key


# After a failed publish, skip publishing for this long: the rows stay queued and the
# re-dispatcher sends them, so a broker outage costs a request nothing but the first try.
BROKER_PAUSE_SECONDS = 10.0
_broker_paused_until = 0.0


def _enqueue(task, pk: int) -> None:
    """Publish a delivery task; a broker outage is logged, never raised: the row stays
    queued and the re-dispatcher sends it when the broker is back."""
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        logger.debug("broker paused: outbox row %s left for the re-dispatcher", pk)
        return
    try:
        task.apply_async((pk,))
    except Exception as exc:
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "could not queue %s for outbox row %s (%s: %s); publishing paused for %.0f s",
            task.name,
            pk,
            exc.__class__.__name__,
            exc,
            BROKER_PAUSE_SECONDS,
        )
        logger.debug("publish failure", exc_info=True)


def _queue_on_commit(model: type[SmsMessage] | type[EmailMessage], pk: int) -> None:
    from . import tasks

    task = tasks.deliver_sms if model is SmsMessage else tasks.deliver_email
    transaction.on_commit(lambda: _enqueue(task, pk))


# --- Queueing ---------------------------------------------------------------------------
def send_sms(to: str, template: str, context: dict, key: str) -> SmsMessage:
    """Queue an SMS from `sms/<template>.txt` to `to` (any form `normalize_phone` reads).

    Raises InvalidPhoneNumber (a ValueError, Korean message) for a bad number, and
    ValueError for an over-long text. The same `key` again returns the first row.
    """
    key = _check_key(key)
    number = normalize_phone(to)
    body = render_sms(template, context)
    if not body or len(body) > MAX_BODY_CHARACTERS:
        raise ValueError(f"SMS text must be 1–{MAX_BODY_CHARACTERS} characters: {template}")
    info = count_segments(body)
    return _store_once(
        SmsMessage,
        key,
        {
            "to": number,
            "body": body,
            "template": template,
            "language": translation.get_language() or "",
            "segments": info.segments,
            "encoding": info.encoding,
            "is_long": info.is_long,
        },
    )


def send_email(to: str, template: str, context: dict, key: str) -> EmailMessage:
    """Queue an e-mail from `emails/<template>_subject.txt`, `.txt` and optional `.html`.
    The same `key` again returns the first row."""
    key = _check_key(key)
    address = (to or "").strip()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise InvalidEmailAddress() from exc
    subject, text, html = render_email(template, context)
    return _store_once(
        EmailMessage,
        key,
        {
            "to": address,
            "subject": subject[:300],
            "body": text,
            "html_body": html,
            "template": template,
            "language": translation.get_language() or "",
        },
    )


def _store_once(model: type[OutboxModel], key: str, fields: dict[str, Any]) -> OutboxModel:
    """Insert the row of this event and queue its delivery for when the transaction
    commits. A row with the same key (the same event again, or a concurrent one) wins
    at the unique index: it is returned as it is and never queued twice.

    This insert is the only statement `send_sms` and `send_email` run, and it runs in a
    savepoint: whatever fails, the caller's transaction stays usable, so callers that
    must not be undone by a notice need no savepoint of their own."""
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives
            message = model.objects.create(key=key, **fields)
    except IntegrityError:
        existing = model.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing
    _queue_on_commit(model, message.pk)
    return message


# --- Delivery ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    state: str  # "skipped" (not ours or not due), "sent", "failed", "retry"
    retry_in: float | None = None


SKIPPED = Outcome("skipped")


def claim(model: type[OutboxModel], pk: int, now: datetime) -> OutboxModel | None:
    """Take the row for this worker with one conditional UPDATE: a due queued row, or
    one claimed so long ago that its worker must be dead. None when another worker has
    it, it is done, or it is not due yet."""
    stale_cutoff = now - stale_after()
    changed = (
        model.objects.filter(pk=pk)
        .filter(
            Q(status=Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, claimed_at__lt=stale_cutoff)
        )
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if changed != 1:
        return None
    return model.objects.get(pk=pk)


def _mark_sent(model: type[OutboxModel], row: OutboxModel, now: datetime, **fields: Any) -> None:
    # The first write after the provider accepted: nothing may come before it.
    model.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.SENT,
        sent_at=now,
        completed_attempts=F("completed_attempts") + 1,
        error_code="",
        error_message="",
        **fields,
    )


def _mark_failed(model: type[OutboxModel], row: OutboxModel, code: str, text: str) -> Outcome:
    model.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.FAILED,
        completed_attempts=F("completed_attempts") + 1,
        error_code=code[:20],
        error_message=text[:2000],
    )
    logger.warning("outbox %s %s failed: %s", model.__name__, row.pk, text)
    return Outcome("failed")


def _mark_retry(
    model: type[OutboxModel], row: OutboxModel, code: str, text: str, *, outcome_unknown: bool
) -> Outcome:
    if row.attempts >= max_attempts():
        return _mark_failed(model, row, code, f"{text} (after {row.attempts} attempts)")
    delay = backoff_seconds(row.attempts)
    completed = F("completed_attempts") + (0 if outcome_unknown else 1)
    model.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.QUEUED,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        completed_attempts=completed,
        error_code=code[:20],
        error_message=text[:2000],
    )
    logger.info("outbox %s %s: retry in %.1fs after %s", model.__name__, row.pk, delay, text)
    return Outcome("retry", retry_in=delay)


def deliver_sms_message(pk: int, now: datetime | None = None) -> Outcome:
    """Claim the SMS row and hand it to the backend; record provider id, status, attempts
    and error. Safe to call any number of times for the same row."""
    now = now or timezone.now()
    row = claim(SmsMessage, pk, now)
    if row is None:
        return SKIPPED
    backend = get_backend()
    try:
        if row.attempts - 1 > row.completed_attempts:
            # An earlier attempt died in flight: ask the provider before sending again.
            provider_id = backend.find_sent(row)
            if provider_id:
                _mark_sent(SmsMessage, row, timezone.now(), provider_id=provider_id)
                return Outcome("sent")
        provider_id = backend.send(row)
    except PermanentSmsError as exc:
        return _mark_failed(SmsMessage, row, exc.code, str(exc))
    except TransientSmsError as exc:
        return _mark_retry(SmsMessage, row, exc.code, str(exc), outcome_unknown=exc.outcome_unknown)
    except SmsError as exc:
        return _mark_failed(SmsMessage, row, exc.code or "rejected", str(exc))
    except Exception as exc:
        logger.exception("SMS backend crashed on outbox row %s", pk)
        return _mark_retry(SmsMessage, row, "server", repr(exc), outcome_unknown=True)
    _mark_sent(SmsMessage, row, timezone.now(), provider_id=provider_id, provider_status="")
    return Outcome("sent")


def deliver_email_message(pk: int, now: datetime | None = None) -> Outcome:
    """Claim the e-mail row and send it with Django's configured e-mail backend."""
    now = now or timezone.now()
    row = claim(EmailMessage, pk, now)
    if row is None:
        return SKIPPED
    mail = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to],
        headers={"X-Portal-Message-Key": row.key},
    )
    if row.html_body:
        mail.attach_alternative(row.html_body, "text/html")
    try:
        mail.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        return _mark_failed(EmailMessage, row, "recipient", str(exc))
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            return _mark_failed(EmailMessage, row, "smtp", str(exc))
        return _mark_retry(EmailMessage, row, "smtp", str(exc), outcome_unknown=False)
    except Exception as exc:  # connection refused, timeouts: try again later
        return _mark_retry(EmailMessage, row, "smtp", repr(exc), outcome_unknown=False)
    _mark_sent(EmailMessage, row, timezone.now())
    return Outcome("sent")


# --- Recovery ---------------------------------------------------------------------------
def redispatch_stale(
    now: datetime | None = None, stale_seconds: float | None = None, limit: int = 5000
) -> int:
    """Queue again every row left queued past its due time or claimed too long ago
    (broker outage, worker killed). Returns how many were queued. Claiming makes a
    duplicate task harmless: a row already sent is never sent again."""
    from . import tasks

    now = now or timezone.now()
    cutoff = now - (stale_after() if stale_seconds is None else timedelta(seconds=stale_seconds))
    total = 0
    for model, task in ((SmsMessage, tasks.deliver_sms), (EmailMessage, tasks.deliver_email)):
        stale = Q(status=Status.QUEUED, next_attempt_at__lte=cutoff) | Q(
            status=Status.SENDING, claimed_at__lt=cutoff
        )
        ids = list(model.objects.filter(stale).order_by("id").values_list("id", flat=True)[:limit])
        if not ids:
            continue
        # Wait a full period before queueing the same rows again.
        model.objects.filter(id__in=ids, status=Status.QUEUED).update(next_attempt_at=now)
        for pk in ids:
            try:
                task.apply_async((pk,))
            except Exception:
                logger.warning("broker unavailable: %s rows wait for the next sweep", len(ids))
                return total
            total += 1
    if total:
        logger.info("re-dispatched %s stale outbox rows", total)
    return total


def retry_failed(
    ids: Iterable[int], *, model: type[SmsMessage] | type[EmailMessage] = SmsMessage
) -> int:
    """Queue failed rows again with a fresh attempt budget (the admin's "retry")."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            model.objects.select_for_update()
            .filter(id__in=list(ids), status__in=[Status.FAILED, Status.UNDELIVERED])
            .values_list("id", flat=True)
        )
        fields: dict[str, Any] = {
            "status": Status.QUEUED,
            "attempts": 0,
            "completed_attempts": 0,
            "next_attempt_at": now,
            "claimed_at": None,
            "error_code": "",
            "error_message": "",
        }
        if model is SmsMessage:
            fields["provider_status"] = ""
        model.objects.filter(id__in=rows).update(**fields)
        for pk in rows:
            _queue_on_commit(model, pk)
    return len(rows)


# --- Provider status --------------------------------------------------------------------
# Twilio's MessageStatus → our status. Intermediate provider states leave a sent row as it is.
PROVIDER_STATUS = {
    "accepted": Status.SENT,
    "scheduled": Status.SENT,
    "queued": Status.SENT,
    "sending": Status.SENT,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
}


def record_provider_status(provider_id: str, provider_status: str, error_code: str = "") -> bool:
    """Apply a delivery report. A status never moves backwards, so duplicates and
    out-of-order reports change nothing. Returns whether the row changed."""
    target = PROVIDER_STATUS.get((provider_status or "").strip().lower())
    provider_id = (provider_id or "").strip()[:64]
    if target is None or not provider_id:
        return False
    lower = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[target]]
    fields: dict = {"status": target, "provider_status": provider_status[:20]}
    if target in (Status.UNDELIVERED, Status.FAILED):
        code = "".join(ch for ch in (error_code or "") if ch.isalnum())[:20]
        fields["error_code"] = code if code in ERROR_TEXTS else "undelivered"
        fields["error_message"] = f"Twilio {provider_status} {error_code}".strip()
    changed = SmsMessage.objects.filter(provider_id=provider_id, status__in=lower).update(**fields)
    return changed > 0
