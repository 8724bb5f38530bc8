"""Satisfaction survey actions (S1): invite after closure, answer once, results per
department and question, follow-up actions for weak points.

Every state change of this app goes through here; time is always an argument.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from complaints.models import Complaint, Stage
from notifications.i18n import day_in_words
from notifications.phones import InvalidPhoneNumber
from notifications.services import send_sms
from staff_directory.models import Department, StaffMember
from staff_directory.roles import is_manager

from .models import (
    AFTER_CLOSURE_SLUG,
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    FollowUpAction,
    FollowUpState,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyInvitation,
)

logger = logging.getLogger(__name__)

LINK_VALID_DAYS = 30
TOKEN_LENGTH = 32
TOKEN_SALT = "surveys.invitation"  # noqa: S105 (an HMAC salt, not a secret)


# --- Errors -----------------------------------------------------------------------------
class SurveyError(ValueError):
    """A refused survey action; the message is for the citizen or the member of staff."""

    status = 400


class LinkInvalid(SurveyError):
    status = 404

    def __init__(self) -> None:
        super().__init__(_("설문 링크가 올바르지 않습니다. 문자로 받은 주소를 그대로 열어 주세요."))


class LinkUsed(SurveyError):
    status = 410

    def __init__(self) -> None:
        super().__init__(_("이미 응답하신 설문입니다. 참여해 주셔서 감사합니다."))


class LinkExpired(SurveyError):
    status = 410

    def __init__(self) -> None:
        super().__init__(_("설문 기간(30일)이 지났습니다. 참여하려 해 주셔서 감사합니다."))


class SurveyClosed(SurveyError):
    status = 410

    def __init__(self) -> None:
        super().__init__(_("이 조사는 지금 응답을 받지 않습니다."))


class AnswerError(SurveyError):
    pass


# --- Tokens -----------------------------------------------------------------------------
def token_for(nonce: str) -> str:
    """The link token of an invitation: an HMAC of its nonce under SECRET_KEY."""
    # 128 bits of an HMAC-SHA256: unguessable, and short enough for one SMS line.
    return salted_hmac(TOKEN_SALT, nonce, algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_url(invitation: SurveyInvitation) -> str:
    path = reverse("surveys:answer", args=[token_for(invitation.nonce)])
    return settings.SITE_URL.rstrip("/") + path


# --- Invitations ------------------------------------------------------------------------
def invite_closed_complaints(now: datetime, *, limit: int = 500) -> list[int]:
    """Create one invitation per filing closed with a result in the last 30 days whose
    citizen agreed to SMS and has none yet, with its SMS's outbox row in the same
    transaction. Bulk and idempotent (the complaint is unique per invitation). Returns
    the new invitations' ids."""
    survey = Survey.objects.filter(slug=AFTER_CLOSURE_SLUG, is_active=True).first()
    if survey is None:
        return []
    rows = list(
        Complaint.objects.filter(
            stage=Stage.NOTIFIED,
            closed_at__gte=now - timedelta(days=LINK_VALID_DAYS),
            closed_at__lte=now,
            sms_consent=True,
            survey_invitation__isnull=True,
        )
        .exclude(phone="")
        .order_by("closed_at", "id")
        .values_list("id", "department_id")[:limit]
    )
    if not rows:
        return []
    nonces = [secrets.token_hex(16) for _row in rows]
    invitations = [
        SurveyInvitation(
            complaint_id=complaint_id,
            survey=survey,
            department_id=department_id,
            nonce=nonce,
            token_hash=hash_token(token_for(nonce)),
            created_at=now,
            expires_at=now + timedelta(days=LINK_VALID_DAYS),
        )
        for (complaint_id, department_id), nonce in zip(rows, nonces, strict=True)
    ]
    with transaction.atomic():
        # A concurrent run may have invited some of them: its rows win, ours are skipped.
        SurveyInvitation.objects.bulk_create(invitations, ignore_conflicts=True)
        created = list(
            SurveyInvitation.objects.filter(nonce__in=nonces).select_related("complaint")
        )
        for invitation in created:
            send_invitation(invitation)
    return [invitation.pk for invitation in created]


def send_invitation(invitation: SurveyInvitation) -> bool:
    """Write the invitation's SMS to the outbox, in the caller's transaction (idempotent
    by key). False when there is no usable number."""
    if invitation.used_at is not None:
        return False
    complaint = invitation.complaint
    try:
        with translation.override(complaint.language):  # the filing's language
            send_sms(
                complaint.phone,
                "surveys/invitation",
                {
                    "receipt_number": complaint.receipt_number,
                    "link": invitation_url(invitation),
                    "expires_on": day_in_words(invitation.expires_at),
                },
                key=f"survey:{invitation.pk}:invite",
            )
    except InvalidPhoneNumber:
        logger.info("survey invitation %s: no valid phone", invitation.pk)
        return False
    return True


def open_invitation(token: str, now: datetime) -> SurveyInvitation:
    """The invitation a link opens, or LinkInvalid / LinkUsed / LinkExpired."""
    token = (token or "").strip().lower()
    if len(token) != TOKEN_LENGTH or any(ch not in "0123456789abcdef" for ch in token):
        raise LinkInvalid()
    invitation = (
        SurveyInvitation.objects.select_related("survey", "complaint", "department")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise LinkInvalid()
    if invitation.used_at is not None:
        raise LinkUsed()
    if invitation.expires_at <= now:
        raise LinkExpired()
    return invitation


# --- Answers ----------------------------------------------------------------------------
def _clean_answers(survey: Survey, answers: dict[int, object]) -> list[Answer]:
    questions = list(survey.questions.all())
    rows = []
    for question in questions:
        value = answers.get(question.pk)
        if question.kind == QuestionKind.SCALE:
            if value in (None, ""):
                if question.required:
                    raise AnswerError(_("모든 문항에 답해 주세요."))
                continue
            try:
                score = int(str(value))
            except ValueError:
                score = None
            if score is None or not SCALE_MIN <= score <= SCALE_MAX:
                raise AnswerError(_("점수는 1부터 5 사이에서 골라 주세요."))
            rows.append(Answer(question=question, score=score))
        else:
            text = str(value or "").strip()
            if len(text) > 1000:
                raise AnswerError(_("의견은 1000자 이내로 적어 주세요."))
            if text:
                rows.append(Answer(question=question, text=text))
    if not any(row.score is not None for row in rows):
        raise AnswerError(_("모든 문항에 답해 주세요."))
    return rows


def _save_response(survey, answers, *, invitation, department_id, now) -> Response:
    rows = _clean_answers(survey, answers)
    response = Response.objects.create(
        survey=survey,
        invitation=invitation,
        department_id=department_id,
        submitted_at=now,
        language=(translation.get_language() or "")[:8],
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


def submit_invitation_response(token: str, answers: dict[int, object], now: datetime) -> Response:
    """Record the answers to an after-closure survey; the link then stops working."""
    invitation = open_invitation(token, now)
    with transaction.atomic():
        invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise LinkUsed()
        response = _save_response(
            invitation.survey,
            answers,
            invitation=invitation,
            department_id=invitation.department_id,
            now=now,
        )
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
    return response


def submit_campaign_response(
    survey: Survey, answers: dict[int, object], *, department: Department | None, now: datetime
) -> Response:
    """Record an answer to a campaign from its public link, within its period."""
    if not survey.is_open_on(timezone.localdate(now)):
        raise SurveyClosed()
    with transaction.atomic():
        return _save_response(
            survey,
            answers,
            invitation=None,
            department_id=department.pk if department else None,
            now=now,
        )


# --- Results ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ResultRow:
    question: Question
    department: Department | None
    answers: int
    average: Decimal
    below_threshold: bool


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def survey_results(survey: Survey) -> list[ResultRow]:
    """Average score and count per scale question and department, from database
    aggregates. A campaign's results include the after-closure answers of its period
    (joined by the question's topic: result, kindness, speed)."""
    questions = {q.pk: q for q in survey.questions.filter(kind=QuestionKind.SCALE)}
    totals: dict[tuple[int, int | None], list[int]] = {}
    own = (
        Answer.objects.filter(response__survey=survey, question_id__in=list(questions))
        .exclude(score=None)
        .values("question_id", "response__department_id")
        .annotate(total=Sum("score"), n=Count("id"))
    )
    for row in own:
        key = (row["question_id"], row["response__department_id"])
        totals[key] = [row["total"], row["n"]]
    by_topic: dict[str, int] = {}  # topic → the pk of this survey's first question on it
    for question in sorted(questions.values(), key=lambda q: q.order):
        if question.topic:
            by_topic.setdefault(question.topic, question.pk)
    if survey.slug != AFTER_CLOSURE_SLUG and by_topic and survey.starts_on and survey.ends_on:
        joined = (
            Answer.objects.filter(
                response__survey__slug=AFTER_CLOSURE_SLUG,
                response__submitted_at__gte=_day_start(survey.starts_on),
                response__submitted_at__lt=_day_start(survey.ends_on + timedelta(days=1)),
                question__topic__in=list(by_topic),
            )
            .exclude(score=None)
            .values("question__topic", "response__department_id")
            .annotate(total=Sum("score"), n=Count("id"))
        )
        for topic_row in joined:
            key = (by_topic[topic_row["question__topic"]], topic_row["response__department_id"])
            entry = totals.setdefault(key, [0, 0])
            entry[0] += topic_row["total"]
            entry[1] += topic_row["n"]
    departments = Department.objects.in_bulk({dept for _q, dept in totals if dept is not None})
    results = []
    for (question_id, department_id), (total, count) in totals.items():
        average = (Decimal(total) / Decimal(count)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        results.append(
            ResultRow(
                question=questions[question_id],
                department=departments.get(department_id) if department_id else None,
                answers=count,
                average=average,
                below_threshold=average < survey.threshold,
            )
        )
    results.sort(
        key=lambda r: (
            r.department.order if r.department else 10_000,
            r.department.name if r.department else "",
            r.question.order,
        )
    )
    return results


# --- Follow-up (사후관리) ---------------------------------------------------------------
def _require_manager(user) -> None:
    if not is_manager(user):
        raise PermissionDenied(_("관리자만 할 수 있습니다."))


def _head_of(department: Department) -> StaffMember | None:
    return (
        StaffMember.objects.filter(department=department, is_active=True)
        .order_by("-is_head", "id")
        .first()
    )


def _create_follow_up(result, survey, owner, due_on, by, now) -> FollowUpAction:
    try:
        with transaction.atomic():
            return FollowUpAction.objects.create(
                survey=survey,
                question=result.question,
                department=result.department,
                owner=owner,
                average=result.average,
                answers=result.answers,
                due_on=due_on,
                created_at=now,
                created_by=by,
            )
    except IntegrityError:
        raise SurveyError(_("이 부서와 문항에는 이미 후속 조치가 있습니다.")) from None


def open_follow_ups(survey: Survey, *, by, now: datetime, due_on: date) -> list[FollowUpAction]:
    """Create a follow-up action for every department and question scoring below the
    survey's threshold that has none yet; the owner is the department head."""
    _require_manager(by)
    if due_on < timezone.localdate(now):
        raise SurveyError(_("기한은 오늘 이후여야 합니다."))
    existing = set(survey.follow_ups.values_list("question_id", "department_id"))
    created = []
    for row in survey_results(survey):
        if not row.below_threshold or row.department is None:
            continue
        if (row.question.pk, row.department.pk) in existing:
            continue
        owner = _head_of(row.department)
        if owner is None:
            continue
        created.append(_create_follow_up(row, survey, owner, due_on, by, now))
    return created


def _may_work_on(user, action: FollowUpAction) -> bool:
    if is_manager(user):
        return True
    member = getattr(user, "staff_member", None) if user.is_authenticated else None
    return member is not None and member.department_id == action.department_id


def update_follow_up(
    action: FollowUpAction,
    *,
    by,
    now: datetime,
    owner: StaffMember | None = None,
    due_on: date | None = None,
    note: str | None = None,
) -> FollowUpAction:
    """Change the owner or due date (managers) or the note (the department)."""
    if (owner is not None or due_on is not None) and not is_manager(by):
        raise PermissionDenied(_("담당자와 기한은 관리자만 바꿀 수 있습니다."))
    if not _may_work_on(by, action):
        raise PermissionDenied(_("다른 부서의 후속 조치입니다."))
    with transaction.atomic():
        action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        fields = []
        if owner is not None and owner.pk != action.owner_id:
            action.owner = owner
            fields.append("owner")
        if due_on is not None and due_on != action.due_on:
            action.due_on = due_on
            fields.append("due_on")
        if note is not None and note != action.note:
            action.note = note
            fields.append("note")
        if fields:
            action.save(update_fields=fields)
    return action


def complete_follow_up(action: FollowUpAction, *, by, now: datetime, note: str) -> FollowUpAction:
    """The owner's department (or a manager) records what was done and closes it."""
    if not _may_work_on(by, action):
        raise PermissionDenied(_("다른 부서의 후속 조치입니다."))
    note = (note or "").strip()
    with transaction.atomic():
        action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        if action.state == FollowUpState.DONE:
            raise SurveyError(_("이미 완료된 후속 조치입니다."))
        if not (note or action.note):
            raise SurveyError(_("무엇을 했는지 조치 내용을 적어 주세요."))
        action.state = FollowUpState.DONE
        action.done_at = now
        action.done_by = by
        fields = ["state", "done_at", "done_by"]
        if note:
            action.note = note
            fields.append("note")
        action.save(update_fields=fields)
    return action
