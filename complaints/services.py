"""The only way a complaint changes (C1 C2 C3 H1 H4 K3 O2 O4 M1 V6 L1–L7).

Each service is one transaction: it locks the row, checks the transition against
`ALLOWED`, saves with `update_fields`, writes a `StageEvent` and queues its notices in the
outbox (delivered after commit). Time is an argument (`now`); `by` is the acting user, or
None for the system (periodic tasks, the public web form, the Open311 API).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from complaints import deadlines, notices
from complaints.attachments import safe_original_name, validate_uploads
from complaints.exclusions import Exclusion, check_exclusion
from complaints.intake import Intake
from complaints.models import (
    Action,
    Agency,
    Attachment,
    Channel,
    Complaint,
    ComplaintType,
    FormToken,
    Kind,
    PriorityReason,
    ReceiptCounter,
    Stage,
    StageEvent,
)
from complaints.models.complaint import CLERK_CHANNELS, ONLINE_CHANNELS, PAPER_CHANNELS
from notifications.phones import InvalidPhoneNumber, normalize_phone
from staff_directory.models import Department, StaffMember
from staff_directory.roles import is_verifier

logger = logging.getLogger(__name__)

__all__ = [
    "ALLOWED",
    "FilingExcluded",
    "Intake",
    "TransitionRefused",
    "advance",
    "answer_hold",
    "assign",
    "close_with_result",
    "due_after",
    "expire_hold",
    "extend",
    "file_complaint",
    "mark_overdue",
    "may_act",
    "put_on_hold",
    "refuse",
    "resume",
    "send_progress_notice",
    "transfer",
    "transfer_to_agency",
]

# --- The stage machine: the one table of allowed transitions (C2) ----------------------
# action → {stage it may start from: stage it leads to}. RESUME returns to the stage the
# hold interrupted (None below); EXTEND keeps the stage.
_WORKING = (Stage.ASSIGNED, Stage.INVESTIGATING, Stage.VERIFYING, Stage.CORRECTING)
ALLOWED: dict[str, dict[str, str | None]] = {
    Action.ASSIGN: {Stage.RECEIVED: Stage.ASSIGNED, Stage.ASSIGNED: Stage.ASSIGNED},
    Action.ADVANCE: {
        Stage.ASSIGNED: Stage.INVESTIGATING,
        Stage.INVESTIGATING: Stage.VERIFYING,
        Stage.VERIFYING: Stage.CORRECTING,
    },
    Action.HOLD: {stage: Stage.ON_HOLD for stage in (Stage.RECEIVED, *_WORKING)},
    Action.RESUME: {Stage.ON_HOLD: None},
    Action.EXTEND: {stage: stage for stage in (Stage.RECEIVED, *_WORKING)},
    Action.TRANSFER: {Stage.RECEIVED: Stage.RECEIVED, Stage.ASSIGNED: Stage.RECEIVED},
    Action.TRANSFER_OUT: {
        stage: Stage.TRANSFERRED for stage in (Stage.RECEIVED, Stage.ASSIGNED, Stage.INVESTIGATING)
    },
    Action.REFUSE: {
        Stage.RECEIVED: Stage.REFUSED,
        Stage.ASSIGNED: Stage.REFUSED,
        Stage.INVESTIGATING: Stage.REFUSED,
        # 반려 after a 보완 request went unanswered twice (L2).
        Stage.ON_HOLD: Stage.REFUSED,
    },
    # A service complaint closes after the lead department's verification (C2); an
    # ordinary petition may close from any working stage (see close_with_result).
    Action.CLOSE: {stage: Stage.NOTIFIED for stage in _WORKING},
}
_SERVICE_CLOSE_FROM = (Stage.VERIFYING, Stage.CORRECTING)
# Which budget of `deadlines.STAGE_BUDGET_DAYS` runs while a complaint sits in a stage
# (C2): a received filing must be assigned within a working day; investigation starts
# at assignment (its two days run from then, also through the "investigating" stage,
# so assignment adds no day of its own); then verification and correction.
STAGE_BUDGET_KEY: dict[str, str] = {
    Stage.RECEIVED: "assigned",
    Stage.ASSIGNED: "investigating",
    Stage.INVESTIGATING: "investigating",
    Stage.VERIFYING: "verifying",
    Stage.CORRECTING: "correcting",
}
# The C2 procedure's whole budget from receipt (8 working days).
SERVICE_TOTAL_DAYS = sum(deadlines.STAGE_BUDGET_DAYS.values())
# 보완 requests after this many working hours from receipt are flagged (시행규칙 제9조).
HOLD_REQUEST_HOURS = 8
# When a 보완 request goes unanswered, it is made once more with this many days (≤ 10,
# 시행령 제25조), then the filing is returned.
HOLD_AGAIN_DAYS = 10
# Transitions out of the verifying stage are the lead department's (C2).
_LEAD_ONLY = {(Action.ADVANCE, Stage.VERIFYING), (Action.CLOSE, Stage.VERIFYING)}

MAX_TITLE = 200
MAX_CONTENT = 4000
MAX_NAME = 50
MAX_ADDRESS = 200
MAX_LOCATION = 200
MAX_REASON = 500
MAX_RESULT = 4000
# An online filing must be formally received within 8 working hours (시행령 제6조).
ONLINE_RECEIPT_HOURS = 8


class TransitionRefused(Exception):
    """A change the stage machine or the rules do not allow; the message is Korean."""

    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class FilingExcluded(Exception):
    """A web or API filing that is not a 민원 under the Act (K3); nothing was stored."""

    def __init__(self, exclusion: Exclusion) -> None:
        super().__init__(str(exclusion))
        self.exclusion = exclusion


# --- Helpers --------------------------------------------------------------------------
def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("complaint_type", "department", "owner")
        .get(pk=complaint.pk)
    )


def _target(complaint: Complaint, action: str) -> str | None:
    table = ALLOWED[action]
    if complaint.stage not in table:
        raise TransitionRefused(
            _("‘%(stage)s’ 단계에서는 ‘%(action)s’을(를) 할 수 없습니다.")
            % {
                "stage": Stage(complaint.stage).label,
                "action": Action(action).label,
            },
            code="illegal_transition",
        )
    return table[complaint.stage]


def _next_stage(complaint: Complaint, action: str) -> str:
    """The stage `action` leads to from the complaint's stage (refused like `_target`).
    Only for actions with a fixed target: RESUME's comes from the hold, EXTEND's is the
    current stage."""
    stage = _target(complaint, action)
    if stage is None:
        raise ValueError(f"{action!r} has no fixed target stage")
    return stage


_ASK: Any = object()


def _check_actor(by, complaint: Complaint, action: str, department_id: Any = _ASK) -> None:
    """System (None) and superusers may do anything; staff act on their own department's
    filings; the verifying stage belongs to the lead department's verifiers."""
    if by is None or by.is_superuser:
        return
    if not (by.is_active and by.is_staff):
        raise TransitionRefused(_("이 민원을 처리할 권한이 없습니다."), code="forbidden")
    lead_only = (action, complaint.stage) in _LEAD_ONLY
    if is_verifier(by) and (
        lead_only
        or complaint.stage == Stage.VERIFYING
        or action in (Action.TRANSFER, Action.TRANSFER_OUT)
    ):
        # The lead department verifies, and routes filings to the right department.
        return
    if lead_only:
        raise TransitionRefused(
            _("조사결과 확인은 주관부서(민원봉사과)의 확인 담당자만 할 수 있습니다."),
            code="lead_only",
        )
    if department_id is _ASK:
        member = StaffMember.objects.filter(user=by, is_active=True).only("department_id").first()
        department_id = member.department_id if member is not None else None
    if department_id is None or department_id != complaint.department_id:
        raise TransitionRefused(_("다른 부서의 민원은 처리할 수 없습니다."), code="forbidden")


def may_act(by, complaint: Complaint, action: str, department_id: int | None) -> bool:
    """Whether ``by`` may take ``action`` on the complaint in its present stage: the
    stage machine and the actor rules above, asked without changing anything (the
    admin's desk shows one button per action that passes). ``department_id`` is the
    department ``by`` works in (None if none), read once for all the actions."""
    if complaint.stage not in ALLOWED[action]:
        return False
    too_early = complaint.kind == Kind.SERVICE and complaint.stage not in _SERVICE_CLOSE_FROM
    if action == Action.CLOSE and too_early:
        return False
    try:
        _check_actor(by, complaint, action, department_id)
    except TransitionRefused:
        return False
    return True


def due_after(
    complaint: Complaint, action: str, now: datetime, *, days: int = 0, consent: bool = False
) -> tuple[datetime | None, datetime | None]:
    """The (legal due time, stage due time) the complaint would have after ``action``,
    computed without changing it, for the desk's "before → after" line. None where the
    clock stops (보완, a closed filing) or the action cannot be taken as asked."""
    try:
        if action == Action.EXTEND:
            legal = deadlines.extended_due_at(
                complaint.due_at,
                complaint.complaint_type.period_days,
                days,
                extensions_so_far=complaint.extension_count,
                citizen_consent=consent,
            )
            return legal, complaint.stage_due_at
        if action in (Action.ASSIGN, Action.ADVANCE, Action.TRANSFER):
            stage = _next_stage(complaint, action)
            keeps = complaint.stage == Stage.ASSIGNED and stage == Stage.INVESTIGATING
            stage_due = complaint.stage_due_at if keeps else _stage_due(complaint, now, stage)
            return complaint.due_at, stage_due
    except (TransitionRefused, TypeError, ValueError):
        return None, None
    return None, None


def _stage_due(complaint: Complaint, entered_at: datetime, stage: str) -> datetime | None:
    key = STAGE_BUDGET_KEY.get(stage)
    if key is None:
        return None
    # A stage never runs past the legal deadline (O2: finish well before it), and a
    # service complaint's stages never past 8 working days from receipt (C2).
    due = min(deadlines.stage_due_at(entered_at, key), complaint.due_at)
    if complaint.kind == Kind.SERVICE:
        due = min(due, deadlines.add_working_days(complaint.received_at, SERVICE_TOTAL_DAYS))
    return due


def _enter(complaint: Complaint, stage: str, now: datetime) -> list[str]:
    keeps_budget = (
        complaint.stage == Stage.ASSIGNED
        and stage == Stage.INVESTIGATING
        and complaint.stage_due_at is not None
    )
    complaint.stage = stage
    complaint.stage_entered_at = now
    if not keeps_budget:  # investigation's budget already runs from the assignment
        complaint.stage_due_at = _stage_due(complaint, now, stage)
    complaint.is_overdue = False
    complaint.overdue_notified_at = None
    complaint.escalated_at = None
    return [
        "stage",
        "stage_entered_at",
        "stage_due_at",
        "is_overdue",
        "overdue_notified_at",
        "escalated_at",
    ]


def _event(complaint, action, from_stage, by, now, note="", due_at=None) -> StageEvent:
    return StageEvent.objects.create(
        complaint=complaint,
        action=action,
        from_stage=from_stage,
        to_stage=complaint.stage,
        by=by,
        at=now,
        note=note,
        due_at=due_at if due_at is not None else complaint.stage_due_at,
    )


def _required_text(value: str, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise TransitionRefused(_("%(field)s을(를) 적어 주세요.") % {"field": field}, "required")
    if len(text) > limit:
        raise TransitionRefused(
            _("%(field)s은(는) %(limit)d자 이내로 적어 주세요.") % {"field": field, "limit": limit},
            code="too_long",
        )
    return text


def _notify_owner(complaint: Complaint, now: datetime, event: StageEvent) -> None:
    """Tell the new owner (SMS and e-mail); the first notice is timed for M1."""
    sent = notices.staff_notice(
        complaint.owner, complaint, "owner_assigned", f"assigned:{event.pk}"
    )
    if sent and complaint.owner_notified_at is None:
        complaint.owner_notified_at = now
        delay = max(0, int((now - complaint.received_at).total_seconds() // 60))
        complaint.notice_delay_minutes = delay
        complaint.save(update_fields=["owner_notified_at", "notice_delay_minutes"])


# --- Filing ---------------------------------------------------------------------------
def _validate_intake(intake: Intake, now: datetime) -> dict:
    """Check every fact; return the cleaned values or raise ValidationError per field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    ctype = intake.complaint_type
    if not isinstance(ctype, ComplaintType) or not ctype.is_active:
        err("complaint_type", _("민원 종류를 골라 주세요."))
    if intake.channel not in Channel.values:
        err("channel", _("접수 경로를 골라 주세요."))
    elif isinstance(ctype, ComplaintType):
        if intake.channel in (Channel.WEB, Channel.BOARD) and not ctype.accepts_online:
            err("complaint_type", _("이 민원은 인터넷으로 신청할 수 없습니다."))
        if intake.channel == Channel.OPEN311 and not ctype.accepts_open311:
            err("complaint_type", _("이 민원은 Open311로 신청할 수 없습니다."))
    for field, value, limit, label in (
        ("title", intake.title, MAX_TITLE, _("제목")),
        ("content", intake.content, MAX_CONTENT, _("내용")),
    ):
        text = (value or "").strip()
        if not text:
            err(field, _("%(label)s을(를) 적어 주세요.") % {"label": label})
        elif len(text) > limit:
            err(
                field,
                _("%(label)s은(는) %(limit)d자 이내로 적어 주세요.")
                % {"label": label, "limit": limit},
            )
        cleaned[field] = text
    for field, value, limit in (
        ("name", intake.name, MAX_NAME),
        ("address", intake.address, MAX_ADDRESS),
        ("location_text", intake.location_text, MAX_LOCATION),
    ):
        text = " ".join((value or "").split())
        if len(text) > limit:
            err(field, _("%(limit)d자 이내로 적어 주세요.") % {"limit": limit})
        cleaned[field] = text
    cleaned["phone"] = ""
    if (intake.phone or "").strip():
        try:
            cleaned["phone"] = normalize_phone(intake.phone)
        except InvalidPhoneNumber as exc:
            err("phone", str(exc))
    elif intake.sms_consent:
        err("phone", _("문자 알림을 받으려면 휴대전화 번호를 적어 주세요."))
    cleaned["email"] = (intake.email or "").strip()
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            err("email", _("메일 주소 형식이 올바르지 않습니다."))
    reasons = tuple(dict.fromkeys(intake.priority_reasons or ()))
    if any(reason not in PriorityReason.values for reason in reasons):
        err("priority_reasons", _("우선 처리 사유를 목록에서 골라 주세요."))
    cleaned["priority_reasons"] = list(reasons)
    if not isinstance(intake.visit_count, int) or not 1 <= intake.visit_count <= 99:
        err("visit_count", _("방문 횟수는 1에서 99 사이로 적어 주세요."))
    if intake.channel in ONLINE_CHANNELS:
        arrived = intake.arrived_at or now
        received = arrived
    else:
        arrived = intake.arrived_at or now
        received = intake.received_at or now
        if received < arrived:
            err("received_at", _("접수 시각은 도달 시각보다 빠를 수 없습니다."))
    if arrived > now + timedelta(minutes=5):
        err("arrived_at", _("도달 시각이 현재보다 늦을 수 없습니다."))
    if received > now + timedelta(minutes=5):
        err("received_at", _("접수 시각이 현재보다 늦을 수 없습니다."))
    cleaned["arrived_at"], cleaned["received_at"] = arrived, received
    if intake.assisted_by is not None and not intake.citizen_confirmed:
        err(
            "citizen_confirmed",
            _("대신 작성한 내용은 민원인에게 읽어 주고 확인을 받아야 합니다."),
        )
    languages = dict(settings.LANGUAGES)
    cleaned["language"] = (
        intake.language if intake.language in languages else settings.LANGUAGE_CODE
    )
    try:
        cleaned["uploads"] = validate_uploads(intake.attachments)
    except ValidationError as exc:
        err("attachments", " ".join(exc.messages))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _route(intake: Intake, ctype: ComplaintType) -> tuple[Department, StaffMember | None]:
    """H1: any clerk takes the filing; the department follows the owner chosen at intake,
    else the type's handling department, else the lead department. Paper filings (M1) get
    an owner at once: the department head, or its first active member."""
    owner = intake.owner
    if owner is not None and not owner.is_active:
        raise ValidationError({"owner": [_("재직 중인 직원을 골라 주세요.")]})
    if owner is not None:
        return owner.department, owner
    department = ctype.handling_department or Department.objects.filter(is_lead=True).first()
    if department is None:
        raise ValidationError(
            {"complaint_type": [_("이 민원 종류의 처리부서가 정해지지 않았습니다.")]}
        )
    if intake.channel in PAPER_CHANNELS:
        owner = (
            StaffMember.objects.filter(department=department, is_active=True)
            .select_related("department")
            .order_by("-is_head", "id")
            .first()
        )
    return department, owner


def _next_receipt(received_at: datetime) -> tuple[int, int]:
    """The next number of the year, gap-free: the year's counter row stays locked until
    the filing commits, and a rolled-back filing gives its number back."""
    year = timezone.localtime(received_at, deadlines.SEOUL).year
    try:
        counter = ReceiptCounter.objects.select_for_update().get(year=year)
    except ReceiptCounter.DoesNotExist:  # the year's first filing
        ReceiptCounter.objects.get_or_create(year=year)
        counter = ReceiptCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return year, counter.last


def file_complaint(intake: Intake, *, by=None, now: datetime) -> Complaint:
    """File one complaint from any channel and return it.

    Web and API filings that the Act excludes (K3) raise `FilingExcluded` and store
    nothing; a clerk's intake stores them as refused, with the reason. Bad facts raise
    `ValidationError` (per field) and store nothing.
    """
    exclusion = check_exclusion(intake)
    if exclusion is not None and intake.channel not in CLERK_CHANNELS:
        raise FilingExcluded(exclusion)
    cleaned = _validate_intake(intake, now)
    ctype: ComplaintType = intake.complaint_type
    department, owner = _route(intake, ctype)
    reasons = cleaned["priority_reasons"]
    repeat_by_error = intake.visit_count >= 2 and PriorityReason.OFFICIAL_ERROR.value in reasons
    received_at = cleaned["received_at"]
    due_at = deadlines.legal_due_at(received_at, ctype.period_days)

    # Inside a caller's transaction (the public form's one-time token, Open311's
    # submission) the filing is part of it, not a savepoint of its own: if anything here
    # fails, the caller's whole transaction is undone anyway.
    with transaction.atomic(savepoint=False):
        year, seq = _next_receipt(received_at)
        complaint = Complaint(
            receipt_year=year,
            receipt_seq=seq,
            receipt_number=f"{year}-{seq:06d}",
            kind=ctype.kind,
            complaint_type=ctype,
            channel=intake.channel,
            arrived_at=cleaned["arrived_at"],
            received_at=received_at,
            complainant_name=cleaned["name"],
            phone=cleaned["phone"],
            email=cleaned["email"],
            address=cleaned["address"],
            lives_in_county=intake.lives_in_county,
            filer_type=intake.filer_type,
            priority_reasons=reasons,
            is_priority=bool(reasons),
            visit_count=intake.visit_count,
            title=cleaned["title"],
            content=cleaned["content"],
            location_text=cleaned["location_text"],
            sms_consent=intake.sms_consent and bool(cleaned["phone"]),
            language=cleaned["language"],
            assisted_by=intake.assisted_by,
            citizen_confirmed=intake.citizen_confirmed,
            created_by=by,
            department=department,
            due_at=due_at,
            stage=Stage.RECEIVED,
            stage_entered_at=received_at,
        )
        complaint.stage_due_at = _stage_due(complaint, received_at, Stage.RECEIVED)
        complaint.save(force_insert=True)
        notes = []
        if intake.assisted_by is not None:
            notes.append(_("직원이 대신 작성하고 민원인이 내용을 확인함"))
        if repeat_by_error:
            # R3: an official's error brought them back; expedite and apologise.
            notes.append(
                _(
                    "공무원의 잘못으로 %(count)d번째 방문하셨습니다. 불편을 드려 죄송합니다. "
                    "우선 처리합니다."
                )
                % {"count": intake.visit_count}
            )
        _event(complaint, Action.FILE, "", by, now, note=" ".join(notes))
        _store_uploads(complaint, intake.attachments, cleaned["uploads"], now)

        if exclusion is not None:
            return _refuse_locked(complaint, str(exclusion), by=by, now=now, notify=False)
        notices.citizen_sms(complaint, "receipt", "receipt")
        if owner is not None:
            _assign_locked(complaint, owner, by=by, now=now, note="")
    return complaint


class TokenAlreadyUsed(Exception):
    """The form was already submitted once; `complaint` is what that submission filed."""

    def __init__(self, complaint: Complaint) -> None:
        super().__init__(complaint.receipt_number)
        self.complaint = complaint


def file_once(nonce: str, intake: Intake, *, now: datetime, checked: bool = False) -> Complaint:
    """File `intake` from the public form unless this form's `nonce` already filed
    something (one form, one filing).

    The token row is written in the filing's transaction: an excluded or invalid filing
    leaves neither, and two submissions racing with one nonce meet at the unique index
    (the second waits for the first, then finds its row). ``checked``: the caller has
    just looked the nonce up itself (`filed_with`), so it is not looked up twice.
    """
    earlier = None if checked else filed_with(nonce)
    if earlier is not None:
        raise TokenAlreadyUsed(earlier)
    try:
        with transaction.atomic():
            complaint = file_complaint(intake, by=None, now=now)
            FormToken.objects.create(nonce=nonce, complaint=complaint, used_at=now)
    except IntegrityError:
        earlier = filed_with(nonce)
        if earlier is None:
            raise
        raise TokenAlreadyUsed(earlier) from None
    return complaint


def filed_with(nonce: str) -> Complaint | None:
    """The complaint an earlier submission of this form filed, if any: its id and receipt
    number, which are all a second submission is answered with (asked on every filing,
    so it reads two columns, not the filing's 52)."""
    token = (
        FormToken.objects.select_related("complaint")
        .only("complaint__receipt_number")
        .filter(nonce=nonce)
        .first()
    )
    return token.complaint if token else None


def _store_uploads(complaint, uploads, infos, now: datetime, *, supplement=False) -> None:
    """Save checked uploads (`validate_uploads`) as the complaint's attachments."""
    for upload, info in zip(uploads, infos, strict=True):
        attachment = Attachment(
            complaint=complaint,
            original_name=safe_original_name(getattr(upload, "name", "")),
            extension=info.extension,
            content_type=info.content_type,
            size=info.size,
            uploaded_at=now,
            is_supplement=supplement,
        )
        upload.seek(0)
        attachment.file.save(attachment.original_name, upload, save=False)
        attachment.save(force_insert=True)


# --- Transitions ----------------------------------------------------------------------
def _assign_locked(complaint, owner: StaffMember, *, by, now, note: str) -> Complaint:
    from_stage = complaint.stage
    to_stage = _next_stage(complaint, Action.ASSIGN)
    complaint.owner = owner
    complaint.department_id = owner.department_id
    complaint.department = owner.department
    fields = ["owner", "department"]
    if to_stage != from_stage:
        fields += _enter(complaint, to_stage, now)
    complaint.save(update_fields=fields)
    event = _event(complaint, Action.ASSIGN, from_stage, by, now, note=note)
    notices.citizen_sms(complaint, "assigned", f"assigned:{event.pk}")
    _notify_owner(complaint, now, event)
    return complaint


def assign(
    complaint: Complaint, owner: StaffMember, *, by, now: datetime, note: str = ""
) -> Complaint:
    """Give the filing an owner of its department (담당자 배정, ≤ 1 working day)."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.ASSIGN)
        _target(complaint, Action.ASSIGN)
        if not owner.is_active:
            raise TransitionRefused(_("재직 중인 직원에게만 배정할 수 있습니다."), "inactive_owner")
        if owner.department_id != complaint.department_id:
            raise TransitionRefused(
                _("다른 부서 직원에게 맡기려면 먼저 그 부서로 이송하세요."), "other_department"
            )
        return _assign_locked(complaint, owner, by=by, now=now, note=note)


def advance(complaint: Complaint, *, by, now: datetime, note: str = "") -> Complaint:
    """Move to the next working stage: assigned → investigating → verifying → correcting."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.ADVANCE)
        to_stage = _next_stage(complaint, Action.ADVANCE)
        from_stage = complaint.stage
        complaint.save(update_fields=_enter(complaint, to_stage, now))
        _event(complaint, Action.ADVANCE, from_stage, by, now, note=note)
        return complaint


def _answer_by(value: date | datetime | None, now: datetime) -> datetime:
    """The answer-by moment: a date means the end of that day (Asia/Seoul)."""
    if value is None:
        raise TransitionRefused(_("보완 기한을 정해 주세요."), "answer_by_required")
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59), tzinfo=deadlines.SEOUL)
    if value <= now:
        raise TransitionRefused(_("보완 기한은 지금보다 뒤여야 합니다."), "answer_by_past")
    return value


def _hold_locked(complaint, *, reason: str, answer_by: datetime, by, now, again=False):
    from_stage = complaint.stage
    complaint.held_at = now
    complaint.hold_reason = reason
    complaint.hold_answer_by = answer_by
    complaint.hold_round = 2 if again else 1
    fields = ["held_at", "hold_reason", "hold_answer_by", "hold_round"]
    note = reason
    if again:
        note = _("기한까지 보완하지 않아 다시 요청함: %(reason)s") % {"reason": reason}
    else:
        complaint.held_from_stage = from_stage
        complaint.stage = Stage.ON_HOLD
        complaint.stage_entered_at = now
        complaint.is_overdue = False
        # 보완 is asked within 8 working hours of receipt (시행규칙 제9조): later is flagged.
        used = deadlines.working_hours_between(complaint.received_at, now, legal=True)
        complaint.hold_requested_late = used > HOLD_REQUEST_HOURS
        if complaint.hold_requested_late:
            note += " " + _("(접수 후 8근무시간이 지나 요청함)")
        fields += ["held_from_stage", "stage", "stage_entered_at", "is_overdue"]
        fields.append("hold_requested_late")
    complaint.save(update_fields=fields)
    event = _event(complaint, Action.HOLD, from_stage, by, now, note=note, due_at=answer_by)
    notices.legal_notice(complaint, "hold", f"hold:{event.pk}", now=now, reason=reason)
    return complaint


def put_on_hold(
    complaint: Complaint,
    *,
    reason: str,
    answer_by: date | datetime | None,
    by,
    now: datetime,
) -> Complaint:
    """Ask the citizen for what is missing (보완 요청, 법 제22조, L2): `reason` says what
    is needed, `answer_by` by when (a date means the end of that day). The legal clock
    stops until the answer arrives (`answer_hold`) or a clerk resumes (`resume`). The
    citizen is told by every channel they gave what is needed, by when, and that the
    period is paused. A request later than 8 working hours after receipt is flagged
    (`hold_requested_late`)."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.HOLD)
        reason = _required_text(reason, _("보완 요청 사유"), MAX_REASON)
        _next_stage(complaint, Action.HOLD)
        answer_at = _answer_by(answer_by, now)
        return _hold_locked(complaint, reason=reason, answer_by=answer_at, by=by, now=now)


def _resume_locked(complaint, *, by, now, note: str = "") -> Complaint:
    held_at = complaint.held_at or complaint.stage_entered_at
    complaint.due_at = deadlines.resumed_due_at(
        complaint.due_at, held_at, now, period_days=complaint.complaint_type.period_days
    )
    stage_due = complaint.stage_due_at
    if stage_due is not None:
        stage_due = min(deadlines.resumed_stage_due_at(stage_due, held_at, now), complaint.due_at)
    complaint.stage = complaint.held_from_stage or Stage.RECEIVED
    complaint.stage_due_at = stage_due
    complaint.stage_entered_at = now
    complaint.held_at = None
    complaint.held_from_stage = ""
    complaint.hold_answer_by = None
    complaint.overdue_notified_at = None
    complaint.escalated_at = None
    complaint.save(
        update_fields=[
            "due_at",
            "stage",
            "stage_due_at",
            "stage_entered_at",
            "held_at",
            "held_from_stage",
            "hold_answer_by",
            "overdue_notified_at",
            "escalated_at",
        ]
    )
    _event(complaint, Action.RESUME, Stage.ON_HOLD, by, now, note=note, due_at=complaint.due_at)
    return complaint


def resume(complaint: Complaint, *, by, now: datetime, note: str = "") -> Complaint:
    """Restart after a hold (the answer came another way): the time of the hold is not
    counted, as the period counts (`deadlines.resumed_due_at`)."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.RESUME)
        _target(complaint, Action.RESUME)
        return _resume_locked(complaint, by=by, now=now, note=note)


def answer_hold(complaint: Complaint, *, note: str, files=(), now: datetime) -> Complaint:
    """The citizen answers a 보완 request through the signed tracking link (L2): a note
    and files (the filing's attachment rules). The clock resumes at arrival, the owner
    (else the department's heads) is told at once. Bad input raises `ValidationError`
    per field (`note`, `files`) and stores nothing."""
    text = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if len(text) > MAX_CONTENT:
        errors["note"] = [_("%(limit)d자 이내로 적어 주세요.") % {"limit": MAX_CONTENT}]
    if not text and not files:
        errors["note"] = [_("보낼 내용을 적거나 파일을 붙여 주세요.")]
    infos = []
    try:
        infos = validate_uploads(files)
    except ValidationError as exc:
        errors["files"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.stage != Stage.ON_HOLD:
            raise TransitionRefused(
                _("지금은 보완을 기다리고 있지 않습니다. 처리 상황을 다시 확인해 주세요."),
                code="not_on_hold",
            )
        _store_uploads(complaint, files, infos, now, supplement=True)
        names = ", ".join(safe_original_name(getattr(f, "name", "")) for f in files)
        answer = text + (f" [{names}]" if names else "")
        _event(complaint, Action.ANSWER, Stage.ON_HOLD, None, now, note=answer)
        complaint = _resume_locked(complaint, by=None, now=now, note=_("보완 서류 도착"))
        recipients = [complaint.owner] if complaint.owner else _heads(complaint.department_id)
        for member in recipients:
            notices.staff_notice(
                member, complaint, "hold_answered", f"answered:{now.isoformat()}", answer=answer
            )
        return complaint


EXTENSION_MESSAGES = {
    "not_positive": _lazy("연장 일수를 1일 이상으로 적어 주세요."),
    "immediate": _lazy("즉시 처리하는 민원(3근무시간)은 일 단위로 연장할 수 없습니다."),
    "too_many": _lazy(
        "처리기간은 두 번까지만 연장할 수 있습니다(민원 처리에 관한 법률 시행령 제21조)."
    ),
    "longer_than_period": _lazy(
        "한 번에 연장할 수 있는 기간은 원래 처리기간(%(period)d일)까지입니다(시행령 제21조)."
    ),
    "consent_required": _lazy(
        "처리기간을 다시 연장하려면 민원인의 동의를 받아 기록해야 합니다(시행령 제21조)."
    ),
}


def extend(
    complaint: Complaint,
    *,
    days: int,
    reason: str,
    consent: bool = False,
    by,
    now: datetime,
) -> Complaint:
    """Extend the legal period (처리기간 연장, 시행령 제21조, L1): at most twice, each by
    at most the original period; the second only with the citizen's consent, which
    `consent=True` records. The citizen is told the reason and the new due time by every
    channel they gave (L7: with the officer's name and contact)."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.EXTEND)
        reason = _required_text(reason, _("연장 사유"), MAX_REASON)
        _target(complaint, Action.EXTEND)
        period = complaint.complaint_type.period_days
        try:
            new_due = deadlines.extended_due_at(
                complaint.due_at,
                period,
                days,
                extensions_so_far=complaint.extension_count,
                citizen_consent=consent,
            )
        except deadlines.ExtensionRefused as exc:
            message = str(EXTENSION_MESSAGES[exc.code])
            if exc.code == "longer_than_period":
                message %= {"period": period}
            raise TransitionRefused(message, code=f"extension_{exc.code}") from exc
        except (TypeError, ValueError) as exc:
            raise TransitionRefused(str(EXTENSION_MESSAGES["not_positive"]), "bad_days") from exc
        second = complaint.extension_count >= 1
        complaint.due_at = new_due
        complaint.extension_count += 1
        complaint.extension_consent = complaint.extension_consent or (second and consent)
        complaint.extension_reason = reason
        complaint.save(
            update_fields=["due_at", "extension_count", "extension_consent", "extension_reason"]
        )
        note = reason + (" " + _("(민원인 동의)") if second else "")
        event = _event(
            complaint, Action.EXTEND, complaint.stage, by, now, note=note, due_at=new_due
        )
        notices.legal_notice(complaint, "extended", f"extended:{event.pk}", now=now, reason=reason)
        return complaint


def transfer(
    complaint: Complaint, to_department: Department, *, reason: str, by, now: datetime
) -> Complaint:
    """Send the filing to the right department of the county (이송). The legal period
    keeps running from the first receipt. A transfer later than 시행령 제13조 allows
    (3 working hours after receipt) is for the lead department only, with its reason.
    The citizen is told which department has it now and how to reach it (L3)."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.TRANSFER)
        reason = _required_text(reason, _("이송 사유"), MAX_REASON)
        to_stage = _next_stage(complaint, Action.TRANSFER)
        if to_department.pk == complaint.department_id:
            raise TransitionRefused(_("같은 부서로는 이송할 수 없습니다."), "same_department")
        limit = deadlines.transfer_due_at(complaint.received_at, "within_county")
        late = now > limit
        if late and not (by is None or by.is_superuser or is_verifier(by)):
            raise TransitionRefused(
                _(
                    "이송 기한(접수 후 3근무시간, 민원 처리에 관한 법률 시행령 제13조)이 "
                    "지났습니다. 주관부서(민원봉사과)에 이송을 요청하세요."
                ),
                code="transfer_late",
            )
        from_stage = complaint.stage
        old_department = complaint.department.name
        complaint.department = to_department
        complaint.owner = None
        fields = ["department", "owner", *_enter(complaint, to_stage, now)]
        complaint.save(update_fields=fields)
        note = _("%(from)s → %(to)s: %(reason)s") % {
            "from": old_department,
            "to": to_department.name,
            "reason": reason,
        }
        if late:
            note += " " + _("(이송 기한 경과)")
        event = _event(complaint, Action.TRANSFER, from_stage, by, now, note=note)
        notices.legal_notice(complaint, "moved", f"moved:{event.pk}", now=now)
        return complaint


def transfer_to_agency(
    complaint: Complaint, agency: Agency, *, reason: str, by, now: datetime
) -> Complaint:
    """Send a petition that belongs to another agency there (이송, 시행령 제13조, L3) and
    close it here as transferred. The record keeps the agency, the time, the reason and
    whether the 8-working-hour limit (`TRANSFER_LIMIT_HOURS["other_agency"]`) was kept;
    the citizen is told which agency has it and how to reach it."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.TRANSFER_OUT)
        reason = _required_text(reason, _("이송 사유"), MAX_REASON)
        to_stage = _next_stage(complaint, Action.TRANSFER_OUT)
        if not agency.is_active:
            raise TransitionRefused(_("사용하지 않는 기관입니다."), "inactive_agency")
        from_stage = complaint.stage
        complaint.transferred_to = agency
        complaint.closed_at = now
        fields = ["transferred_to", "closed_at", *_enter(complaint, to_stage, now)]
        complaint.save(update_fields=fields)
        note = _("%(agency)s(으)로 이송(%(delivery)s): %(reason)s") % {
            "agency": agency.name,
            "delivery": agency.get_delivery_display(),
            "reason": reason,
        }
        if now > deadlines.transfer_due_at(complaint.received_at, "other_agency"):
            note += " " + _("(이송 기한 경과)")
        event = _event(complaint, Action.TRANSFER_OUT, from_stage, by, now, note=note)
        notices.legal_notice(
            complaint,
            "transferred",
            f"transferred:{event.pk}",
            now=now,
            reason=reason,
            agency=agency,  # rendered in the filing's language (its display name)
            agency_phone=agency.phone,
            agency_website=agency.website,
        )
        return complaint


def _refuse_locked(complaint, reason: str, *, by, now, notify: bool = True) -> Complaint:
    from_stage = complaint.stage
    to_stage = _next_stage(complaint, Action.REFUSE)
    complaint.refusal_reason = reason
    complaint.closed_at = now
    complaint.held_at = None
    complaint.hold_answer_by = None
    fields = ["refusal_reason", "closed_at", "held_at", "hold_answer_by"]
    fields += _enter(complaint, to_stage, now)
    complaint.save(update_fields=fields)
    _event(complaint, Action.REFUSE, from_stage, by, now, note=reason)
    if notify:
        notices.legal_notice(complaint, "refused", "result", now=now, reason=reason)
    return complaint


def refuse(complaint: Complaint, *, reason: str, by, now: datetime) -> Complaint:
    """Close without processing (반려), telling the citizen why and what they can do
    about it (이의신청 for a 법정민원, 행정심판, 행정소송: 법 제27조, 제35조, L6)."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.REFUSE)
        reason = _required_text(reason, _("반려 사유"), MAX_RESULT)
        return _refuse_locked(complaint, reason, by=by, now=now)


def close_with_result(complaint: Complaint, *, result_text: str, by, now: datetime) -> Complaint:
    """Send the result to the citizen and close (결과 통보, C1 C2)."""
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_actor(by, complaint, Action.CLOSE)
        result_text = _required_text(result_text, _("처리 결과"), MAX_RESULT)
        to_stage = _next_stage(complaint, Action.CLOSE)
        from_stage = complaint.stage
        if complaint.kind == Kind.SERVICE and from_stage not in _SERVICE_CLOSE_FROM:
            raise TransitionRefused(
                _("불만·불편 신고는 주관부서의 조사결과 확인을 거쳐야 결과를 통보할 수 있습니다."),
                code="service_needs_verification",
            )
        complaint.result_text = result_text
        complaint.closed_at = now
        fields = ["result_text", "closed_at", *_enter(complaint, to_stage, now)]
        complaint.save(update_fields=fields)
        _event(complaint, Action.CLOSE, from_stage, by, now, note=result_text)
        notices.legal_notice(complaint, "result", "result", now=now, result_text=result_text)
        return complaint


# --- Periodic work (called by complaints.tasks) --------------------------------------
def _heads(department_id: int) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(department_id=department_id, is_head=True, is_active=True)
    )


def mark_overdue(complaint: Complaint, *, now: datetime) -> bool:
    """Flag a stage past due and tell its owner; a working day later, tell the head.
    Idempotent: each step happens once per stage. True when something was done."""
    with transaction.atomic():
        complaint = _lock(complaint)
        stage_due_at = complaint.stage_due_at
        if stage_due_at is None or not complaint.is_stage_overdue(now):
            return False
        done = False
        if complaint.overdue_notified_at is None:
            complaint.is_overdue = True
            complaint.overdue_notified_at = now
            complaint.save(update_fields=["is_overdue", "overdue_notified_at"])
            event = _event(complaint, Action.OVERDUE, complaint.stage, None, now)
            recipients = [complaint.owner] if complaint.owner else _heads(complaint.department_id)
            for member in recipients:
                notices.staff_notice(member, complaint, "overdue", f"overdue:{event.pk}")
            done = True
        escalate_at = deadlines.add_working_days(stage_due_at, 1)
        if complaint.escalated_at is None and now >= escalate_at:
            complaint.escalated_at = now
            complaint.save(update_fields=["escalated_at"])
            event = _event(complaint, Action.ESCALATE, complaint.stage, None, now)
            for head in _heads(complaint.department_id):
                notices.staff_notice(head, complaint, "escalated", f"escalated:{event.pk}")
            done = True
        return done


PROGRESS_EVERY_DAYS = 30


def send_progress_notice(complaint: Complaint, *, now: datetime) -> bool:
    """A filing open 30 days after receipt, and every 30 days after, gets a progress
    notice (시행령 제23조, L5) by every channel the citizen gave. When they gave neither
    a phone nor an e-mail and filed online, where the receipt told them that progress is
    online, the notice is omitted and the omission recorded with that basis; otherwise a
    letter is queued. On hold, the notice gives the answer-by date, never a due date
    that the pause has made meaningless. Idempotent per 30-day period."""
    with transaction.atomic():
        complaint = _lock(complaint)
        cutoff = now - timedelta(days=PROGRESS_EVERY_DAYS)
        if not complaint.is_open or complaint.received_at > cutoff:
            return False
        last = complaint.last_progress_notice_at
        if last is not None and last > cutoff:
            return False
        period = (now - complaint.received_at).days // PROGRESS_EVERY_DAYS
        complaint.last_progress_notice_at = now
        complaint.save(update_fields=["last_progress_notice_at"])
        reachable = complaint.phone or complaint.email
        if not reachable and complaint.channel in ONLINE_CHANNELS:
            note = _("통지 생략: 접수 때 인터넷으로 처리 상황을 볼 수 있다고 안내함(시행령 제23조)")
            _event(complaint, Action.PROGRESS, complaint.stage, None, now, note=note)
            return True
        _event(complaint, Action.PROGRESS, complaint.stage, None, now)
        with translation.override(complaint.language):
            stage = str(Stage(complaint.stage).label)
        notices.legal_notice(complaint, "progress", f"progress:{period}", now=now, stage=stage)
        return True


def expire_hold(complaint: Complaint, *, now: datetime) -> bool:
    """A 보완 request past its answer-by time (L2, 시행령 제25조): the first is made once
    more with `HOLD_AGAIN_DAYS` days; when the second also goes unanswered, the filing is
    returned with its reasons and remedies. True when something was done."""
    with transaction.atomic():
        complaint = _lock(complaint)
        answer_by = complaint.hold_answer_by
        if complaint.stage != Stage.ON_HOLD or answer_by is None or answer_by >= now:
            return False
        if complaint.hold_round < 2:
            day = timezone.localtime(now, deadlines.SEOUL).date()
            again_by = datetime.combine(
                day + timedelta(days=HOLD_AGAIN_DAYS), time(23, 59), tzinfo=deadlines.SEOUL
            )
            _hold_locked(
                complaint,
                reason=complaint.hold_reason,
                answer_by=again_by,
                by=None,
                now=now,
                again=True,
            )
            return True
        reason = _(
            "두 번 요청한 보완(%(reason)s)을 기한까지 받지 못해 반려합니다"
            "(민원 처리에 관한 법률 시행령 제25조)."
        ) % {"reason": complaint.hold_reason}
        _refuse_locked(complaint, reason, by=None, now=now)
        return True
