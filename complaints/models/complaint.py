"""Complaint types, complaints and their stage history (C1 C2 C3 H4 K4 O1 O2 M1 V6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.querysets import ComplaintQuerySet
from notifications.i18n import localized

if TYPE_CHECKING:  # django-stubs-ext is a development requirement, not a runtime one
    from django_stubs_ext import StrOrPromise


class Kind(models.TextChoices):
    PETITION = "petition", _("민원")
    SERVICE = "service", _("불만·불편 신고")
    SUGGESTION = "suggestion", _("개선 제안")


class Channel(models.TextChoices):
    VISIT = "visit", _("방문")
    PHONE = "phone", _("전화")
    LETTER = "letter", _("우편")
    FAX = "fax", _("FAX")
    WEB = "web", _("인터넷")
    BOARD = "board", _("홈페이지 게시판")
    OPEN311 = "open311", _("Open311")


# Filings that arrive electronically are received at once on arrival (시행령 제6조).
ONLINE_CHANNELS = frozenset({Channel.WEB, Channel.BOARD, Channel.OPEN311})
# Paper filings whose owner must hear of them within one hour (M1).
PAPER_CHANNELS = frozenset({Channel.LETTER, Channel.FAX})
# Channels a clerk takes in person (the intake page).
CLERK_CHANNELS = (Channel.VISIT, Channel.PHONE, Channel.LETTER, Channel.FAX)


class FilerType(models.TextChoices):
    INDIVIDUAL = "individual", _("개인")
    COMPANY = "company", _("법인·단체")
    AGENCY = "agency", _("행정기관")
    PUBLIC_BODY = "public_body", _("공공단체")
    CONTRACTOR = "contractor", _("군과 계약을 맺은 상대방")


class PriorityReason(models.TextChoices):
    ELDERLY = "elderly", _("65세 이상")
    DISABILITY = "disability", _("장애인")
    PREGNANCY = "pregnancy", _("임산부")
    INFANT = "infant", _("영유아 동반")
    OFFICIAL_ERROR = "official_error", _("공무원의 잘못으로 인한 재방문")


class Stage(models.TextChoices):
    RECEIVED = "received", _("접수")
    ASSIGNED = "assigned", _("담당자 배정")
    INVESTIGATING = "investigating", _("사실 확인·조사")
    VERIFYING = "verifying", _("조사결과 확인")
    CORRECTING = "correcting", _("시정·개선 조치")
    NOTIFIED = "notified", _("결과 통보")
    REFUSED = "refused", _("반려")
    ON_HOLD = "on_hold", _("보완 요청")
    TRANSFERRED = "transferred", _("다른 기관으로 이송")


# The open stages whose clock runs (every open stage but the hold), in the stage
# machine's order; the partial indexes below are defined over them.
RUNNING_STAGES = [
    Stage.RECEIVED,
    Stage.ASSIGNED,
    Stage.INVESTIGATING,
    Stage.VERIFYING,
    Stage.CORRECTING,
]
OPEN_STAGES = frozenset({*RUNNING_STAGES, Stage.ON_HOLD})
CLOSED_STAGES = frozenset({Stage.NOTIFIED, Stage.REFUSED, Stage.TRANSFERRED})


class Action(models.TextChoices):
    FILE = "file", _("접수")
    ASSIGN = "assign", _("담당자 배정")
    ADVANCE = "advance", _("다음 단계")
    HOLD = "hold", _("보완 요청")
    ANSWER = "answer", _("보완 제출")
    RESUME = "resume", _("처리 재개")
    EXTEND = "extend", _("처리기간 연장")
    TRANSFER = "transfer", _("이송")
    REFUSE = "refuse", _("반려")
    CLOSE = "close", _("결과 통보")
    OVERDUE = "overdue", _("기한 경과")
    ESCALATE = "escalate", _("부서장 보고")
    PROGRESS = "progress", _("진행상황 통지")
    TRANSFER_OUT = "transfer_out", _("다른 기관으로 이송")


class ComplaintType(models.Model):
    """A kind of filing the county handles, with its legal period and its departments."""

    code = models.SlugField(_("코드"), max_length=50, unique=True)
    name = models.CharField(_("민원 종류"), max_length=100)
    name_en = models.CharField(_("영문 이름"), max_length=150, blank=True)
    description = models.TextField(_("쉬운 설명"), blank=True)
    description_en = models.TextField(_("영문 설명"), blank=True)
    kind = models.CharField(_("구분"), max_length=12, choices=Kind.choices, default=Kind.PETITION)
    period_days = models.PositiveSmallIntegerField(
        _("처리기간(일)"),
        help_text=_(
            "0은 즉시(3근무시간)입니다. 5일 이하는 근무시간으로, 6일 이상은 근무일로 셉니다."
        ),
    )
    is_statutory = models.BooleanField(
        _("법정민원"),
        default=False,
        help_text=_(
            "법령에 따른 인허가·등록·확인 등 법정민원이면 선택하세요: 거부되면 이의신청을 "
            "안내합니다(민원 처리에 관한 법률 제35조)."
        ),
    )
    handling_department = models.ForeignKey(
        "staff_directory.Department",
        verbose_name=_("처리부서"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint_types",
    )
    lead_department = models.ForeignKey(
        "staff_directory.Department",
        verbose_name=_("주관부서"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_complaint_types",
    )
    office_lookups = models.TextField(
        _("군에서 직접 확인하는 서류"),
        blank=True,
        help_text=_(
            "행정정보 공동이용으로 확인하므로 민원인이 내지 않아도 되는 서류, 한 줄에 하나."
        ),
    )
    office_lookups_en = models.TextField(_("직접 확인하는 서류(영문)"), blank=True)
    accepts_online = models.BooleanField(_("인터넷 신청 가능"), default=True)
    accepts_open311 = models.BooleanField(_("Open311 신청 가능"), default=False)
    is_active = models.BooleanField(_("사용"), default=True)
    order = models.PositiveSmallIntegerField(_("표시 순서"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("민원 종류")
        verbose_name_plural = _("민원 종류")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def display_description(self) -> str:
        return localized(self.description, self.description_en)

    def office_lookup_list(self) -> list[str]:
        text = localized(self.office_lookups, self.office_lookups_en)
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def is_immediate(self) -> bool:
        """The period 즉시: 3 working hours (시행령 제19조, L4)."""
        return self.period_days == 0

    @property
    def counted_in_hours(self) -> bool:
        return self.period_days <= 5

    @property
    def sends_citizen_sms(self) -> bool:
        """O4: filings whose legal period is five days or more get SMS notices."""
        return self.period_days >= 5


class ReceiptCounter(models.Model):
    """The last receipt number given in a year; locked while a filing takes the next."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("접수번호 발급 현황")
        verbose_name_plural = _("접수번호 발급 현황")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    """One filing, from receipt to the result sent to the complainant."""

    receipt_year = models.PositiveSmallIntegerField(_("접수 연도"))
    receipt_seq = models.PositiveIntegerField(_("연도별 일련번호"))
    receipt_number = models.CharField(_("접수번호"), max_length=11, unique=True)
    kind = models.CharField(_("구분"), max_length=12, choices=Kind.choices)
    complaint_type = models.ForeignKey(
        ComplaintType, verbose_name=_("민원 종류"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("접수 경로"), max_length=10, choices=Channel.choices)
    arrived_at = models.DateTimeField(_("도달 시각"))
    received_at = models.DateTimeField(_("접수 시각"))

    complainant_name = models.CharField(_("민원인 이름"), max_length=50, blank=True)
    phone = models.CharField(_("휴대전화"), max_length=16, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    address = models.CharField(_("주소"), max_length=200, blank=True)
    lives_in_county = models.BooleanField(_("연천군 거주"), default=False)
    filer_type = models.CharField(
        _("신청인 구분"), max_length=12, choices=FilerType.choices, default=FilerType.INDIVIDUAL
    )
    priority_reasons = models.JSONField(_("우선 처리 사유"), default=list, blank=True)
    is_priority = models.BooleanField(_("우선 처리"), default=False, db_index=True)
    visit_count = models.PositiveSmallIntegerField(_("방문 횟수"), default=1)

    title = models.CharField(_("제목"), max_length=200)
    content = models.TextField(_("내용"))
    location_text = models.CharField(_("발생 장소"), max_length=200, blank=True)
    sms_consent = models.BooleanField(_("문자 알림 동의"), default=False)
    # The language the filing was made in: every notice to the citizen uses it.
    language = models.CharField(_("언어"), max_length=10, default="ko")

    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("대행 작성 직원"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    citizen_confirmed = models.BooleanField(_("민원인 확인"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("접수 직원"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    department = models.ForeignKey(
        "staff_directory.Department",
        verbose_name=_("처리부서"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    owner = models.ForeignKey(
        "staff_directory.StaffMember",
        verbose_name=_("담당자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_complaints",
    )
    stage = models.CharField(
        _("처리 단계"), max_length=14, choices=Stage.choices, default=Stage.RECEIVED
    )
    stage_entered_at = models.DateTimeField(_("단계 시작 시각"))
    stage_due_at = models.DateTimeField(_("단계 기한"), null=True, blank=True)
    due_at = models.DateTimeField(_("법정처리기한"))

    held_at = models.DateTimeField(_("보완 요청 시각"), null=True, blank=True)
    hold_reason = models.CharField(_("보완 요청 사유"), max_length=500, blank=True)
    held_from_stage = models.CharField(
        _("보완 전 단계"), max_length=14, choices=Stage.choices, blank=True
    )
    hold_answer_by = models.DateTimeField(_("보완 기한"), null=True, blank=True)
    hold_round = models.PositiveSmallIntegerField(_("보완 요청 차수"), default=0)
    hold_requested_late = models.BooleanField(
        _("보완 요청 지연"),
        default=False,
        help_text=_("접수 후 8근무시간이 지나 보완을 요청했습니다(시행규칙 제9조)."),
    )
    transferred_to = models.ForeignKey(
        "complaints.Agency",
        verbose_name=_("이송한 기관"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    extension_count = models.PositiveSmallIntegerField(_("연장 횟수"), default=0)
    extension_consent = models.BooleanField(_("연장 동의"), default=False)
    extension_reason = models.CharField(_("연장 사유"), max_length=500, blank=True)

    is_overdue = models.BooleanField(_("단계 기한 경과"), default=False)
    overdue_notified_at = models.DateTimeField(_("기한 경과 알림 시각"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("부서장 보고 시각"), null=True, blank=True)
    last_progress_notice_at = models.DateTimeField(_("진행상황 통지 시각"), null=True, blank=True)

    result_text = models.TextField(_("처리 결과"), blank=True)
    closed_at = models.DateTimeField(_("종결 시각"), null=True, blank=True)
    # Set by the retention purge (complaints/retention.py) when the personal data is erased.
    anonymised_at = models.DateTimeField(
        _("개인정보 삭제 시각"), null=True, blank=True, editable=False
    )
    refusal_reason = models.TextField(_("반려 사유"), blank=True)

    owner_notified_at = models.DateTimeField(_("담당자 통보 시각"), null=True, blank=True)
    notice_delay_minutes = models.PositiveIntegerField(_("통보 지연(분)"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-is_priority", "stage_due_at", "id"]
        verbose_name = _("민원")
        verbose_name_plural = _("민원")
        indexes = [
            models.Index(
                fields=["department", "stage", "-is_priority", "stage_due_at"],
                name="complaint_queue_idx",
            ),
            # The queue's whole order, id included: without it, filings of one stage due
            # time (every closed filing has none) were sorted again on each page.
            models.Index(fields=["-is_priority", "stage_due_at", "id"], name="complaint_sort_idx"),
            # A clerk's queue (one department): its whole order, also filtered on priority;
            # and the count of a channel filter, read from the index alone.
            models.Index(
                fields=["department", "-is_priority", "stage_due_at", "id"],
                name="complaint_dept_sort_idx",
            ),
            models.Index(fields=["department", "channel"], name="complaint_dept_channel_idx"),
            models.Index(fields=["stage", "stage_due_at"], name="complaint_due_idx"),
            # The dashboard's period figures: filings received and closed in a period.
            models.Index(fields=["received_at"], name="complaint_received_idx"),
            models.Index(fields=["closed_at"], name="complaint_closed_idx"),
            # Overdue lists across stages (the dashboard's): the running stages in due
            # order, so "longest overdue first" reads 20 entries, not every overdue row.
            models.Index(
                fields=["stage_due_at", "id"],
                name="complaint_running_due_idx",
                condition=models.Q(stage__in=RUNNING_STAGES),
            ),
            # Overdue counts per department (the dashboard's filter): read from the index
            # alone, without visiting every overdue row.
            models.Index(
                fields=["department", "stage_due_at", "id"],
                name="complaint_dept_running_idx",
                condition=models.Q(stage__in=RUNNING_STAGES),
            ),
            models.Index(fields=["receipt_year", "receipt_seq"], name="complaint_receipt_idx"),
            models.Index(fields=["phone"], name="complaint_phone_idx"),
            models.Index(fields=["channel", "received_at"], name="complaint_channel_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_year", "receipt_seq"], name="complaint_receipt_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def masked_name(self) -> str:
        return mask_name(self.complainant_name)

    @property
    def contact_phone(self) -> str:
        """The number a citizen is given for this filing (시행령 제31조, L7): the officer's
        direct line, else the department's main number, else the county's."""
        owner = self.owner
        if owner is not None and owner.direct_line:
            return owner.direct_line
        return self.department.main_phone or settings.COUNTY_PHONE

    def is_stage_overdue(self, now) -> bool:
        return (
            self.stage in OPEN_STAGES
            and self.stage != Stage.ON_HOLD
            and self.stage_due_at is not None
            and self.stage_due_at < now
        )


def mask_name(name: str) -> str:
    """홍길동 → 홍*동, 홍길 → 홍*, 남궁민수 → 남**수: enough to recognise, not to identify."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


class StageEvent(models.Model):
    """Every transition and every SLA fact of a complaint: the one history table."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("민원"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("처리"), max_length=12, choices=Action.choices)
    from_stage = models.CharField(_("이전 단계"), max_length=14, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("다음 단계"), max_length=14, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("시각"))
    note = models.TextField(_("메모"), blank=True)
    due_at = models.DateTimeField(_("설정된 기한"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("처리 이력")
        verbose_name_plural = _("처리 이력")
        indexes = [
            models.Index(fields=["complaint", "at"], name="stageevent_complaint_idx"),
            models.Index(fields=["action", "at"], name="stageevent_action_idx"),
            # The dashboard's stage figures read the events of a period.
            models.Index(fields=["at"], name="stageevent_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action} {self.from_stage}→{self.to_stage}"

    @property
    def citizen_label(self) -> StrOrPromise:
        """What the citizen's timeline calls this event: the stage reached for a step
        forward, else the action. (The enums' labels, not get_*_display, which rebuilds
        its choices on every call: a tenth of the tracking page's drawing.)"""
        if self.action == Action.ADVANCE:
            return Stage(self.to_stage).label
        return Action(self.action).label
