"""The only ways reception state changes: memos (V4 P3 P6), pre-consultations (V5), the
Q&A board and its sweep (M2), commendations (K2).

Each function validates, runs in one transaction, saves with `update_fields` (or a
conditional UPDATE), and writes its notices' outbox rows in that same transaction (the
notifications app publishes their delivery on commit). Time is always an argument.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

import pagecache
from complaints.attachments import safe_original_name
from notifications.phones import display_phone
from staff_directory.models import Department, StaffMember

from . import access, notices
from .models import (
    BoardPost,
    BoardSweep,
    CallbackState,
    Commendation,
    CommendationStatus,
    Consultation,
    Memo,
    MemoKind,
)

logger = logging.getLogger(__name__)

CALLBACK_WORKING_DAYS = 1


def callback_due(received_at: datetime.datetime) -> datetime.datetime:
    """One working day after receipt, by the county's deadline clock.

    Imported here, not at module level: reception sits beside complaints and uses only
    its pure clock module; the due time is stored so that screens never need the clock.
    """
    from complaints.deadlines import add_working_days

    return add_working_days(received_at, CALLBACK_WORKING_DAYS)


def lead_department() -> Department:
    lead = Department.objects.filter(is_lead=True).first()
    if lead is None:
        raise ValidationError(_("주관부서가 정해지지 않아 접수할 수 없습니다."))
    return lead


def _person_name(user) -> str:
    member = access.staff_member_of(user)
    if member is not None:
        return member.name
    return (user.get_full_name() or user.get_username())[:30]


# --- Memos for absent staff (V4 P3 P6) ------------------------------------------------------
@transaction.atomic
def record_memo(
    *,
    owner: StaffMember,
    caller_name: str,
    purpose: str,
    contacted_at: datetime.datetime,
    callback_needed: bool,
    phone: str,
    number_read_back: bool,
    taken_by,
    now: datetime.datetime,
    kind: str = MemoKind.PHONE,
) -> Memo:
    """Record a phone or visit memo for an absent owner and tell the owner and their
    substitute (SMS and e-mail). The taker's name comes from their login (P3); the number
    must have been read back to the caller (P6)."""
    if not number_read_back:
        raise ValidationError(
            {"number_read_back": _("전화번호를 한 번 더 불러 드려 확인한 뒤 체크해 주세요.")}
        )
    if not owner.is_active:
        raise ValidationError({"owner": _("재직 중인 직원을 골라 주세요.")})
    memo = Memo.objects.create(
        kind=kind,
        owner=owner,
        caller_name=caller_name.strip(),
        purpose=purpose.strip(),
        contacted_at=contacted_at,
        callback_needed=callback_needed,
        phone=phone,
        number_read_back=True,
        taken_by=taken_by,
        taker_name=_person_name(taken_by),
        created_at=now,
        callback_state=CallbackState.PENDING if callback_needed else CallbackState.NOT_NEEDED,
        callback_due_at=callback_due(now) if callback_needed else None,
    )
    _notify_memo(memo)
    return memo


def _notify_memo(memo: Memo) -> None:
    context = {"memo": memo, "phone": display_phone(memo.phone)}
    key = f"reception:memo:{memo.pk}"
    notices.notify_member(memo.owner, "reception/memo_owner", context, key)
    substitute = memo.owner.substitute
    if substitute is not None and substitute.is_active and substitute.pk != memo.owner_id:
        notices.notify_member(substitute, "reception/memo_substitute", context, f"{key}:substitute")


CLOSING_STATES = (CallbackState.DONE, CallbackState.NOT_NEEDED)


def _close(
    model: type[Memo] | type[Consultation],
    item: Memo | Consultation,
    department_id: int,
    *,
    state: str,
    note: str,
    by,
    now: datetime.datetime,
):
    if state not in CLOSING_STATES:
        raise ValidationError({"state": _("회신 결과를 골라 주세요.")})
    if not access.can_handle(by, department_id):
        raise PermissionDenied
    note = note.strip()
    try:  # too long is refused, never cut
        model._meta.get_field("callback_note").run_validators(note)
    except ValidationError as exc:
        raise ValidationError({"note": exc.messages}) from exc
    changed = model.objects.filter(pk=item.pk, callback_state=CallbackState.PENDING).update(
        callback_state=state, callback_note=note, closed_at=now, closed_by=by
    )
    if changed != 1:
        raise ValidationError(_("이미 처리된 건입니다."))
    item.refresh_from_db(fields=["callback_state", "callback_note", "closed_at", "closed_by"])
    return item


@transaction.atomic
def close_memo(memo: Memo, *, state: str, note: str, by, now: datetime.datetime) -> Memo:
    """Mark a memo's call back done or not needed (once), by someone of the owner's
    department."""
    return _close(Memo, memo, memo.owner.department_id, state=state, note=note, by=by, now=now)


# --- Pre-consultation (V5) ------------------------------------------------------------------
@transaction.atomic
def request_consultation(
    *,
    name: str,
    phone: str,
    description: str,
    department: Department | None,
    sms_consent: bool,
    now: datetime.datetime,
) -> Consultation:
    """A citizen asks to be called back before a visit. "Don't know" goes to the lead
    department. The responsible staff is e-mailed at once; with consent the citizen
    gets an SMS that the request arrived."""
    target = department or lead_department()
    consultation = Consultation.objects.create(
        name=name.strip(),
        phone=phone,
        description=description.strip(),
        chosen_department=department,
        department=target,
        sms_consent=sms_consent,
        created_at=now,
        callback_due_at=callback_due(now),
    )
    _notify_consultation(consultation)
    return consultation


def _notify_consultation(item: Consultation) -> None:
    key = f"reception:consult:{item.pk}"
    staff = notices.responsible_staff([item.department_id])[item.department_id]
    notices.email_members(staff, "reception/consult_staff", {"consultation": item}, key)
    if item.sms_consent:
        notices.citizen_sms(
            item.phone, "reception/consult_received", {"consultation": item}, f"{key}:citizen"
        )


@transaction.atomic
def close_consultation(
    consultation: Consultation, *, state: str, note: str, by, now: datetime.datetime
) -> Consultation:
    return _close(
        Consultation,
        consultation,
        consultation.department_id,
        state=state,
        note=note,
        by=by,
        now=now,
    )


# --- The Q&A board (M2) ---------------------------------------------------------------------
@transaction.atomic
def post_question(
    *,
    title: str,
    body: str,
    author_name: str,
    phone: str = "",
    email: str = "",
    is_public: bool = True,
    password: str = "",
    department: Department | None = None,
    attachment: UploadedFile | None = None,
    now: datetime.datetime,
) -> BoardPost:
    """A citizen's question. It waits, unrouted, for the next sweep."""
    post = BoardPost(
        title=title.strip(),
        body=body.strip(),
        author_name=author_name.strip(),
        phone=phone,
        email=email,
        is_public=is_public,
        password_hash=make_password(password) if password else "",
        requested_department=department,
        created_at=now,
    )
    if attachment is not None:
        if attachment.name is None:  # the form's FileField refuses a nameless upload
            raise ValueError("a board attachment needs a file name")
        post.attachment_name = safe_original_name(attachment.name)
        post.attachment.save(attachment.name, attachment, save=False)
    post.save()
    return post


@dataclass
class SweepResult:
    sweep: BoardSweep | None
    routed: int = 0
    per_department: dict[str, int] = field(default_factory=dict)


def sweep_board(*, now: datetime.datetime) -> SweepResult:
    """Route every post created up to `now` and not routed yet (M2), exactly once.

    Two conditional bulk UPDATEs (`routed_at IS NULL AND created_at <= now`): the
    citizen's department, else the lead department. Two sweeps at once each take
    different rows; a second run routes nothing. Then one notice per department, to its
    responsible staff, with the count. The query count does not depend on how many posts
    there are.
    """
    with transaction.atomic():
        lead = Department.objects.filter(is_lead=True).first()
        sweep = BoardSweep.objects.create(ran_at=now)
        waiting = BoardPost.objects.filter(routed_at__isnull=True, created_at__lte=now)
        routed = waiting.filter(requested_department__isnull=False).update(
            department=F("requested_department"), routed_at=now, sweep=sweep
        )
        if lead is not None:
            routed += waiting.filter(requested_department__isnull=True).update(
                department=lead, routed_at=now, sweep=sweep
            )
        else:
            logger.error("board sweep: no lead department; posts without one stay waiting")
        if not routed:
            # Kept even when empty: the log shows the board was checked (M2).
            return SweepResult(sweep=sweep)
        sweep.routed = routed
        sweep.save(update_fields=["routed"])
        counts = dict(
            BoardPost.objects.filter(sweep=sweep)
            .order_by()
            .values_list("department_id")
            .annotate(n=Count("id"))
            .values_list("department_id", "n")
        )
        names = dict(Department.objects.filter(pk__in=counts).values_list("pk", "name"))
        _notify_sweep(sweep.pk, counts)
    return SweepResult(
        sweep=sweep,
        routed=routed,
        per_department={names[pk]: n for pk, n in sorted(counts.items())},
    )


def _notify_sweep(sweep_id: int, counts: dict[int, int]) -> None:
    staff = notices.responsible_staff(counts)
    unanswered = dict(
        BoardPost.objects.filter(department_id__in=counts, answered_at__isnull=True)
        .order_by()
        .values_list("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    for department_id, routed in counts.items():
        context = {"routed": routed, "unanswered": unanswered.get(department_id, routed)}
        notices.email_members(
            staff.get(department_id, []),
            "reception/board_routed",
            context,
            f"reception:sweep:{sweep_id}:{department_id}",
        )


@transaction.atomic
def answer_post(post: BoardPost, *, answer: str, by, now: datetime.datetime) -> BoardPost:
    """Post (or correct) the answer. The first answer tells the citizen by SMS, else by
    e-mail; a correction does not notify again."""
    text = answer.strip()
    if not text:
        raise ValidationError({"answer": _("답변 내용을 입력해 주세요.")})
    if post.department_id is None:
        raise ValidationError(_("아직 담당부서가 배정되지 않은 글입니다."))
    if not access.can_handle(by, post.department_id):
        raise PermissionDenied
    first = post.answered_at is None
    post.answer = text
    post.answered_by = by
    fields = ["answer", "answered_by"]
    if first:
        post.answered_at = now
        fields.append("answered_at")
    post.save(update_fields=fields)
    if first:
        _notify_answer(post)
    return post


def _notify_answer(post: BoardPost) -> None:
    key = f"reception:board:{post.pk}:answered"
    context = {"post": post}
    if post.phone:
        notices.citizen_sms(post.phone, "reception/board_answered", context, key)
    elif post.email:
        notices.citizen_email(post.email, "reception/board_answered", context, key)


# --- Commendations (K2) ---------------------------------------------------------------------
@transaction.atomic
def submit_commendation(
    *, staff: StaffMember, story: str, nominator_name: str, now: datetime.datetime
) -> Commendation:
    if not staff.is_active:
        raise ValidationError({"staff": _("재직 중인 직원을 골라 주세요.")})
    return Commendation.objects.create(
        staff=staff, story=story.strip(), nominator_name=nominator_name.strip(), created_at=now
    )


def _review(commendations, status: str, *, by, now: datetime.datetime) -> int:
    if not access.is_manager(by):
        raise PermissionDenied
    ids = [c.pk for c in commendations]
    reviewed = Commendation.objects.filter(pk__in=ids, status=CommendationStatus.PENDING).update(
        status=status, reviewed_at=now, reviewed_by=by
    )
    # A bulk update sends no signal: the directory cards show approved commendations.
    pagecache.invalidate()
    return reviewed


@transaction.atomic
def approve_commendations(commendations, *, by, now: datetime.datetime) -> int:
    """A manager approves pending commendations; they then show in the directory."""
    return _review(commendations, CommendationStatus.APPROVED, by=by, now=now)


@transaction.atomic
def reject_commendations(commendations, *, by, now: datetime.datetime) -> int:
    return _review(commendations, CommendationStatus.REJECTED, by=by, now=now)
