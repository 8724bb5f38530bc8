"""Citizen tracking: signed links to the receipt and the tracking page, and lookups.

`tracking_url(complaint)` is the link the SMS carries (absolute, with SITE_URL): it opens
the tracking page without typing. `receipt_url(complaint)` is the receipt page right
after filing. Both are signed with their own salt, so neither can be guessed, and a link
made for one page does not open the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from complaints import deadlines

if TYPE_CHECKING:  # django-stubs-ext is a development requirement, not a runtime one
    from django_stubs_ext import StrOrPromise

    from complaints.models import Complaint, StageEvent

RECEIPT_SALT = "complaints.receipt"
TRACKING_SALT = "complaints.tracking"
FORM_SALT = "complaints.form-token"
RECEIPT_MAX_AGE = 30 * 24 * 3600
# The SMS link must outlive the longest filing (periods, holds and one extension).
TRACKING_MAX_AGE = 400 * 24 * 3600
# A filing form left open over a weekend still submits.
FORM_MAX_AGE = 3 * 24 * 3600

# Actions the citizen sees on the timeline; overdue flags and escalations are internal.
CITIZEN_ACTIONS = (
    "file",
    "assign",
    "advance",
    "hold",
    "answer",
    "resume",
    "extend",
    "transfer",
)
CLOSING_ACTIONS = ("refuse", "close", "transfer_out")
# Events whose note the citizen reads on the timeline (the reason of an extension, what
# a 보완 request asks for); other notes are internal.
NOTE_ACTIONS = ("hold", "extend")


def _sign(value: str, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(value)


def _unsign(token: str, salt: str, max_age: int) -> int | None:
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token or "", max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return int(value) if value.isdigit() else None


def tracking_token(complaint: Complaint) -> str:
    return _sign(str(complaint.pk), TRACKING_SALT)


def tracking_path(complaint: Complaint) -> str:
    return reverse("complaints:track_signed", args=[tracking_token(complaint)])


def tracking_url(complaint: Complaint) -> str:
    """The absolute link of the complaint's tracking page, for SMS and e-mail."""
    return f"{settings.SITE_URL.rstrip('/')}{tracking_path(complaint)}"


def complaint_id_from_tracking(token: str) -> int | None:
    return _unsign(token, TRACKING_SALT, TRACKING_MAX_AGE)


def receipt_url(complaint: Complaint) -> str:
    """The receipt page's path; valid for 30 days."""
    return reverse("complaints:receipt", args=[_sign(str(complaint.pk), RECEIPT_SALT)])


def complaint_id_from_receipt(token: str) -> int | None:
    return _unsign(token, RECEIPT_SALT, RECEIPT_MAX_AGE)


def new_form_token() -> str:
    """A signed random nonce for one filing form."""
    return signing.TimestampSigner(salt=FORM_SALT).sign(get_random_string(32))


def nonce_from_form_token(token: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=FORM_SALT).unsign(token or "", max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None


@dataclass(frozen=True)
class Step:
    stage: str
    label: StrOrPromise  # translated lazily, in the language of the page that shows it
    budget_days: int | None


def receipt_steps(complaint: Complaint) -> list[Step]:
    """The steps the receipt and tracking pages promise, with their budgets in working
    days (C2). A service complaint (불만·불편) goes through the C2 procedure, 8 working
    days in all. Another filing is bound by its legal period: only the steps whose budgets
    fit inside it are listed, and the result is due by the legal deadline."""
    budgets = deadlines.STAGE_BUDGET_DAYS
    if complaint.kind == "service":
        return [
            Step("received", _("접수"), None),
            Step("assigned", _("담당자 배정"), budgets["assigned"]),
            Step("investigating", _("사실 확인·조사"), budgets["investigating"]),
            Step("verifying", _("조사결과 확인"), budgets["verifying"]),
            Step("correcting", _("시정·개선 조치"), budgets["correcting"]),
            Step("notified", _("결과 통보"), None),
        ]
    period = complaint.complaint_type.period_days
    steps = [Step("received", _("접수"), None)]
    used = 0
    for stage, label in (("assigned", _("담당자 배정")), ("investigating", _("사실 확인·조사"))):
        used += budgets[stage]
        if used <= period:
            steps.append(Step(stage, label, budgets[stage]))
    steps.append(Step("notified", _("결과 통보"), None))
    return steps


def find_complaint(receipt_number: str, phone_e164: str) -> Complaint | None:
    """The complaint with this receipt number and this phone, or None: one query, the
    same for an unknown number and a wrong phone."""
    from complaints.models import Complaint

    if not receipt_number or not phone_e164:
        return None
    return (
        Complaint.objects.filter(receipt_number=receipt_number, phone=phone_e164).only("pk").first()
    )


# What the receipt and tracking pages show of a filing and of what it refers to. Loading
# these alone, not every column of five tables, halves the time the ORM takes to build
# and read the page's query (the pages' query counts are asserted in every stage).
TRACKING_FIELDS = (
    "receipt_number", "kind", "channel", "received_at", "title", "content", "location_text",
    "priority_reasons", "complainant_name", "phone", "stage", "stage_due_at", "due_at",
    "hold_reason", "hold_answer_by", "result_text", "refusal_reason",
    "complaint_type__name", "complaint_type__name_en", "complaint_type__period_days",
    "complaint_type__is_statutory",
    "department__name", "department__name_en", "department__main_phone",
    "owner__name", "owner__name_en", "owner__title", "owner__title_en", "owner__direct_line",
    "transferred_to__name", "transferred_to__name_en", "transferred_to__phone",
    "transferred_to__website",
)  # fmt: skip
EVENT_FIELDS = ("complaint_id", "action", "from_stage", "to_stage", "at", "due_at", "note")


def load_for_tracking(pk: int) -> Complaint | None:
    """The complaint with what the receipt and tracking pages show of it, its type, its
    department, its officer and the agency it went to: one query."""
    from complaints.models import Complaint

    return (
        Complaint.objects.select_related("complaint_type", "department", "owner", "transferred_to")
        .only(*TRACKING_FIELDS)
        .filter(pk=pk)
        .first()
    )


def citizen_events(complaint_id: int) -> list[StageEvent]:
    """The filing's events that its tracking page lists, in order: one query."""
    from complaints.models import StageEvent

    return list(
        StageEvent.objects.filter(
            complaint_id=complaint_id, action__in=CITIZEN_ACTIONS + CLOSING_ACTIONS
        ).only(*EVENT_FIELDS)
    )
