"""Compensation rules as data, their history, payouts and training records (R1–R6)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.i18n import localized

from . import rules
from .rules import MAX_AMOUNT


class RuleCode(models.TextChoices):
    R1 = rules.RuleCode.R1, _("R1 방문·처리 중 불편")
    R2 = rules.RuleCode.R2, _("R2 공부(公簿) 기재 착오")
    R3 = rules.RuleCode.R3, _("R3 공무원 잘못으로 2회 이상 방문")
    R4 = rules.RuleCode.R4, _("R4 장애인 편의시설 이용 불편")
    R5 = rules.RuleCode.R5, _("R5 공표한 서비스 미이행")


class PayoutKind(models.TextChoices):
    VOUCHER = rules.PayoutKind.VOUCHER, _("문화상품권")
    GOODS = rules.PayoutKind.GOODS, _("물품(실비)")
    TRANSFER = rules.PayoutKind.TRANSFER, _("계좌 입금")


class PayoutState(models.TextChoices):
    PROPOSED = "proposed", _("제안")
    APPROVED = "approved", _("승인")
    PAID = "paid", _("지급 완료")
    REJECTED = "rejected", _("반려")


# The fields of a rule that managers edit; each edit snapshots them in a version row.
RULE_TERMS_FIELDS = (
    "title",
    "title_en",
    "description",
    "description_en",
    "amount",
    "amount_resident",
    "amount_nonresident",
    "kind",
    "allows_transfer",
    "min_visits",
    "notice_limit_minutes",
    "is_active",
)


class RuleTermsFields(models.Model):
    """The editable terms, shared by a rule and its versions."""

    title = models.CharField(_("이름"), max_length=100)
    title_en = models.CharField(_("영문 이름"), max_length=150, blank=True)
    description = models.TextField(_("설명"))
    description_en = models.TextField(_("영문 설명"), blank=True)
    amount = models.PositiveIntegerField(
        _("금액(원)"), null=True, blank=True, help_text=_("비워 두면 건마다 관리자가 정합니다(R1).")
    )
    amount_resident = models.PositiveIntegerField(
        _("군민 금액(원)"), null=True, blank=True, help_text=_("R3: 연천군에 사는 민원인")
    )
    amount_nonresident = models.PositiveIntegerField(
        _("타 지역 금액(원)"), null=True, blank=True, help_text=_("R3: 다른 지역에 사는 민원인")
    )
    kind = models.CharField(
        _("지급 방식"), max_length=10, choices=PayoutKind.choices, default=PayoutKind.VOUCHER
    )
    allows_transfer = models.BooleanField(
        _("계좌 입금 허용"), default=False, help_text=_("R1: 물품 대신 같은 금액을 계좌로")
    )
    min_visits = models.PositiveSmallIntegerField(
        _("최소 방문 횟수"), default=rules.DEFAULT_MIN_VISITS, help_text=_("R3의 조건")
    )
    notice_limit_minutes = models.PositiveIntegerField(
        _("담당자 통보 한도(분)"),
        default=rules.DEFAULT_NOTICE_LIMIT_MINUTES,
        help_text=_("R5: 우편·FAX 민원의 담당자 통보가 이보다 늦으면 미이행(M1)"),
    )
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # Each concrete class has one: the rule its column, a version its rule's.
        @property
        def code(self) -> str: ...

    def terms(self) -> rules.RuleTerms:
        return rules.RuleTerms(
            code=self.code,
            kind=self.kind,
            amount=self.amount,
            amount_resident=self.amount_resident,
            amount_nonresident=self.amount_nonresident,
            allows_transfer=self.allows_transfer,
            min_visits=self.min_visits,
            notice_limit_minutes=self.notice_limit_minutes,
            is_active=self.is_active,
        )


_AMOUNTS_SANE = (
    Q(amount__isnull=True) | Q(amount__gt=0, amount__lte=MAX_AMOUNT),
    Q(amount_resident__isnull=True) | Q(amount_resident__gt=0, amount_resident__lte=MAX_AMOUNT),
    Q(amount_nonresident__isnull=True)
    | Q(amount_nonresident__gt=0, amount_nonresident__lte=MAX_AMOUNT),
)


class CompensationRule(RuleTermsFields):
    """One clause of the compensation standard (보상기준). Edited only through
    ``services.edit_rule``, which writes a ``CompensationRuleVersion``."""

    code = models.CharField(_("코드"), max_length=2, choices=RuleCode.choices, unique=True)
    version = models.PositiveIntegerField(_("판"), default=1)
    updated_at = models.DateTimeField(_("수정 시각"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("수정자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("보상기준")
        verbose_name_plural = _("보상기준")
        constraints = [
            models.CheckConstraint(condition=_AMOUNTS_SANE[0], name="rule_amount_sane"),
            models.CheckConstraint(condition=_AMOUNTS_SANE[1], name="rule_resident_sane"),
            models.CheckConstraint(condition=_AMOUNTS_SANE[2], name="rule_nonresident_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}"

    @property
    def display_title(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def display_description(self) -> str:
        return localized(self.description, self.description_en)


class CompensationRuleVersion(RuleTermsFields):
    """The terms of a rule as they stood from ``changed_at`` on (version 1: the seed)."""

    rule = models.ForeignKey(
        CompensationRule,
        verbose_name=_("보상기준"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    version = models.PositiveIntegerField(_("판"))
    changed_at = models.DateTimeField(_("변경 시각"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("변경자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("변경 사유"), max_length=300, blank=True)

    class Meta:
        ordering = ["rule", "-version"]
        verbose_name = _("보상기준 변경 이력")
        verbose_name_plural = _("보상기준 변경 이력")
        constraints = [
            models.UniqueConstraint(fields=["rule", "version"], name="rule_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.version}"

    @property
    def code(self) -> str:
        return self.rule.code


class Payout(models.Model):
    """What one case is paid under one rule: proposed → approved → paid (or rejected).

    The amount is copied from the rule at proposal, so a later rule edit changes
    nothing already proposed or paid. Bank details live here only until paid.
    """

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("민원"),
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    rule = models.ForeignKey(
        CompensationRule,
        verbose_name=_("보상기준"),
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    rule_version = models.PositiveIntegerField(_("적용한 판"))
    department = models.ForeignKey(
        "staff_directory.Department",
        verbose_name=_("부서"),
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    amount = models.PositiveIntegerField(_("금액(원)"))
    kind = models.CharField(_("지급 방식"), max_length=10, choices=PayoutKind.choices)
    recipient_name = models.CharField(_("받는 분"), max_length=50, blank=True)
    recipient_phone = models.CharField(_("받는 분 휴대전화"), max_length=16, blank=True)
    bank_name = models.CharField(_("은행"), max_length=30, blank=True)
    bank_account = models.CharField(_("계좌번호"), max_length=30, blank=True)
    bank_holder = models.CharField(_("예금주"), max_length=50, blank=True)

    state = models.CharField(
        _("상태"), max_length=10, choices=PayoutState.choices, default=PayoutState.PROPOSED
    )
    automatic = models.BooleanField(_("자동 제안"), default=False)
    breaches = models.CharField(_("미이행 기준"), max_length=20, blank=True)
    duties = models.CharField(_("함께 할 조치"), max_length=100, blank=True)
    note = models.TextField(_("사유·조치 내용"), blank=True)

    proposed_at = models.DateTimeField(_("제안 시각"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("제안자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("승인 시각"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("승인자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pay_by = models.DateField(_("지급 예정일"), null=True, blank=True)
    paid_at = models.DateTimeField(_("지급 시각"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("지급 처리자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    payment_reference = models.CharField(_("지급 증빙"), max_length=100, blank=True)
    rejected_at = models.DateTimeField(_("반려 시각"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("반려자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("반려 사유"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("보상 지급")
        verbose_name_plural = _("보상 지급")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "rule"], name="payout_once_per_rule"),
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="payout_amount_sane"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "approved_at"], name="payout_batch_idx"),
            models.Index(fields=["department", "state"], name="payout_department_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} #{self.complaint_id} {self.amount:,}"

    @property
    def has_bank_details(self) -> bool:
        return bool(self.bank_name or self.bank_account or self.bank_holder)


class TrainingState(models.TextChoices):
    PLANNED = "planned", _("예정")
    DONE = "done", _("완료")


class TrainingRecord(models.Model):
    """R5: the department whose published service failed is trained."""

    department = models.ForeignKey(
        "staff_directory.Department",
        verbose_name=_("부서"),
        on_delete=models.PROTECT,
        related_name="training_records",
    )
    payout = models.OneToOneField(
        Payout,
        verbose_name=_("보상 지급"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training",
    )
    topic = models.CharField(_("교육 주제"), max_length=200)
    state = models.CharField(
        _("상태"), max_length=10, choices=TrainingState.choices, default=TrainingState.PLANNED
    )
    created_at = models.DateTimeField(_("등록 시각"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("등록자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    held_on = models.DateField(_("교육일"), null=True, blank=True)
    note = models.TextField(_("메모"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("직원 교육 기록")
        verbose_name_plural = _("직원 교육 기록")

    def __str__(self) -> str:
        return f"{self.department_id} {self.topic}"
