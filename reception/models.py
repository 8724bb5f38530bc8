"""Reception tools: memos for absent staff (V4 P3 P6), pre-consultation (V5), the website
Q&A board and its sweep (M2), and commendations (K2).

State changes only through `reception.services`; these classes hold data, constraints and
small derived properties.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models.complaint import mask_name
from staff_directory.models import Department, StaffMember


class CallbackState(models.TextChoices):
    PENDING = "pending", _("회신 대기")
    DONE = "done", _("회신 완료")
    NOT_NEEDED = "not_needed", _("회신 불필요")


class CallbackQuerySet(models.QuerySet):
    """Screens over anything whose call back is tracked (memos, consultations)."""

    def open(self):
        return self.filter(callback_state=CallbackState.PENDING)

    def overdue(self, now: datetime.datetime):
        """Waiting past their due time (one working day after they were taken)."""
        return self.open().filter(callback_due_at__lt=now)


class CallbackTracked(models.Model):
    """A call back owed to a citizen: pending → done / not needed, with a note."""

    callback_state = models.CharField(
        _("회신 상태"),
        max_length=12,
        choices=CallbackState.choices,
        default=CallbackState.PENDING,
        db_index=True,
    )
    # One working day after receipt, computed by the deadline clock when recorded.
    callback_due_at = models.DateTimeField(_("회신 기한"), null=True, blank=True)
    callback_note = models.CharField(_("회신 메모"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("처리 시각"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리한 사람"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("접수 시각"), default=timezone.now, db_index=True)

    objects = CallbackQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.callback_state == CallbackState.PENDING

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_open and self.callback_due_at is not None and self.callback_due_at < now


class MemoKind(models.TextChoices):
    PHONE = "phone", _("전화")
    VISIT = "visit", _("방문")


class Memo(CallbackTracked):
    """전화 메모 / 방문 메모: what a colleague took for an absent owner (P3)."""

    kind = models.CharField(
        _("메모 종류"), max_length=5, choices=MemoKind.choices, default=MemoKind.PHONE
    )
    owner = models.ForeignKey(
        StaffMember, verbose_name=_("담당자"), on_delete=models.PROTECT, related_name="memos"
    )
    caller_name = models.CharField(_("건 사람 이름"), max_length=30)
    purpose = models.TextField(_("용건"), max_length=500)
    contacted_at = models.DateTimeField(_("일시"))
    callback_needed = models.BooleanField(_("회신 필요"), default=True)
    phone = models.CharField(_("전화번호"), max_length=20)
    number_read_back = models.BooleanField(_("번호를 다시 읽어 확인함"), default=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("받은 사람 계정"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    taker_name = models.CharField(_("받은 사람"), max_length=30)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("부재 메모")
        verbose_name_plural = _("부재 메모")
        indexes = [models.Index(fields=["owner", "callback_state"], name="memo_owner_state_idx")]
        constraints = [
            # P6: the number is read back before a memo can exist.
            models.CheckConstraint(
                condition=models.Q(number_read_back=True), name="memo_number_read_back"
            )
        ]

    def __str__(self) -> str:
        # Masked: the admin shows __str__ in lists, history and delete pages.
        return f"{mask_name(self.caller_name)} → {self.owner.name}"


class Consultation(CallbackTracked):
    """사전상담: a citizen leaves a name and phone; the department calls back (V5)."""

    name = models.CharField(_("이름"), max_length=30)
    phone = models.CharField(_("전화번호"), max_length=20)
    description = models.TextField(_("상담 내용"), max_length=1000)
    chosen_department = models.ForeignKey(
        Department,
        verbose_name=_("신청인이 고른 부서"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("담당부서"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    sms_consent = models.BooleanField(_("문자 수신 동의"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("사전상담")
        verbose_name_plural = _("사전상담")
        indexes = [
            models.Index(fields=["department", "callback_state"], name="consult_dept_state_idx")
        ]

    def __str__(self) -> str:
        return f"{mask_name(self.name)} · {self.department.name}"

    @property
    def reference_number(self) -> str:
        """What the citizen quotes when calling about the request (the confirmation shows it)."""
        return f"C-{self.pk:06d}"


class BoardSweep(models.Model):
    """One run of the board sweep (M2): when it ran and how many posts it routed."""

    ran_at = models.DateTimeField(_("실행 시각"), db_index=True)
    routed = models.PositiveIntegerField(_("배정한 글 수"), default=0)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("게시판 확인 기록")
        verbose_name_plural = _("게시판 확인 기록")

    def __str__(self) -> str:
        return f"{timezone.localtime(self.ran_at):%Y-%m-%d %H:%M} · {self.routed}"


class BoardPostQuerySet(models.QuerySet):
    def visible_on_board(self):
        """Everything the list shows (private posts show as a locked line)."""
        return self.select_related("department").order_by("-created_at", "-id")

    def unanswered(self):
        return self.filter(answered_at__isnull=True)

    def for_department(self, department: Department | None):
        if department is None:
            return self.none()
        return self.filter(department=department)


def board_attachment_path(instance: BoardPost, filename: str) -> str:
    """A random name under board/: the citizen's file name never reaches the disk."""
    return f"board/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class BoardPost(models.Model):
    """A question on the website Q&A board (홈페이지 게시판, M2)."""

    title = models.CharField(_("제목"), max_length=100)
    body = models.TextField(_("내용"), max_length=4000)
    attachment = models.FileField(
        _("첨부 파일"), upload_to=board_attachment_path, max_length=200, blank=True
    )
    # The citizen's file name, for the download only: it never reaches the disk.
    attachment_name = models.CharField(_("첨부 파일 이름"), max_length=200, blank=True)
    author_name = models.CharField(_("이름"), max_length=30)
    phone = models.CharField(_("전화번호"), max_length=20, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    is_public = models.BooleanField(_("공개"), default=True)
    password_hash = models.CharField(_("비밀번호"), max_length=128, blank=True)
    requested_department = models.ForeignKey(
        Department,
        verbose_name=_("신청인이 고른 부서"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("담당부서"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_posts",
    )
    created_at = models.DateTimeField(_("작성 시각"), default=timezone.now, db_index=True)
    routed_at = models.DateTimeField(_("배정 시각"), null=True, blank=True)
    sweep = models.ForeignKey(
        BoardSweep,
        verbose_name=_("배정한 확인"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    answer = models.TextField(_("답변"), blank=True)
    answered_at = models.DateTimeField(_("답변 시각"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("답변한 사람"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = BoardPostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("게시판 글")
        verbose_name_plural = _("게시판 글")
        indexes = [
            # The sweep's condition: not routed yet, created before the sweep.
            models.Index(fields=["routed_at", "created_at"], name="board_unrouted_idx"),
            models.Index(fields=["department", "answered_at"], name="board_dept_answer_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def check_password(self, raw: str) -> bool:
        return bool(self.password_hash) and check_password(raw, self.password_hash)


class CommendationStatus(models.TextChoices):
    PENDING = "pending", _("검토 대기")
    APPROVED = "approved", _("승인")
    REJECTED = "rejected", _("반려")


class CommendationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CommendationStatus.APPROVED)


class Commendation(models.Model):
    """칭찬 추천: a citizen recommends a staff member; a manager approves (K2)."""

    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("추천 직원"),
        on_delete=models.CASCADE,
        related_name="commendations",
    )
    story = models.TextField(_("추천 사연"), max_length=2000)
    nominator_name = models.CharField(_("추천인 이름"), max_length=30)
    status = models.CharField(
        _("상태"),
        max_length=10,
        choices=CommendationStatus.choices,
        default=CommendationStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("작성 시각"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("검토 시각"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("검토한 사람"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("칭찬 추천")
        verbose_name_plural = _("칭찬 추천")
        indexes = [models.Index(fields=["staff", "status"], name="praise_staff_status_idx")]

    def __str__(self) -> str:
        return f"{self.staff.name} · {mask_name(self.nominator_name)}"
