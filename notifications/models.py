"""The outbox: every SMS and e-mail is a row first, delivered by a task afterwards."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Status(models.TextChoices):
    QUEUED = "queued", _("대기")
    SENDING = "sending", _("발송 중")
    SENT = "sent", _("발송됨")
    DELIVERED = "delivered", _("전달됨")
    UNDELIVERED = "undelivered", _("미전달")
    FAILED = "failed", _("발송 실패")


# A status never moves backwards: webhooks and redelivered tasks only move a row forward.
STATUS_RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.UNDELIVERED: 3,
    Status.FAILED: 3,
}
FINAL_STATUSES = (Status.DELIVERED, Status.UNDELIVERED, Status.FAILED)
FAILED_STATUSES = (Status.UNDELIVERED, Status.FAILED)

# Error codes stored on a row, and what a clerk reads for each.
ERROR_TEXTS = {
    "21211": _("전화번호가 올바르지 않습니다."),
    "21610": _("수신자가 문자 수신을 거부했습니다."),
    "21614": _("휴대전화 번호가 아닙니다."),
    "20429": _("발송 요청이 너무 많아 잠시 후 다시 보냅니다."),
    "timeout": _("문자 발송 업체의 응답이 늦어 다시 보냅니다."),
    "connection": _("문자 발송 업체에 연결하지 못해 다시 보냅니다."),
    "server": _("문자 발송 업체의 일시적인 오류로 다시 보냅니다."),
    "rejected": _("문자 발송 업체가 요청을 거절했습니다."),
    "smtp": _("메일 서버 오류가 발생했습니다."),
    "recipient": _("받는 사람 메일 주소가 거부되었습니다."),
    "undelivered": _("통신사가 문자를 전달하지 못했습니다."),
}

# The transient errors above say "we will try again". Once the last attempt has failed,
# a clerk reads what happened in its place, then how many tries and what can be done.
GAVE_UP_TEXTS = {
    "20429": _("발송 요청이 너무 많아 보내지 못했습니다."),
    "timeout": _("문자 발송 업체가 제때 응답하지 않아 보내지 못했습니다."),
    "connection": _("문자 발송 업체에 연결하지 못해 보내지 못했습니다."),
    "server": _("문자 발송 업체의 오류로 보내지 못했습니다."),
    "smtp": _("메일 서버 오류로 보내지 못했습니다."),
}


class OutboxMessage(models.Model):
    """What SMS and e-mail rows share: the key, the delivery state and its history."""

    key = models.CharField(_("중복 방지 키"), max_length=200, unique=True)
    template = models.CharField(_("템플릿"), max_length=200)
    language = models.CharField(_("언어"), max_length=10, blank=True)
    status = models.CharField(
        _("상태"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    # Attempts whose outcome was recorded. Fewer than `attempts` means an attempt died
    # in flight (worker killed, read timeout): the provider may have accepted it.
    completed_attempts = models.PositiveSmallIntegerField(_("결과가 기록된 시도"), default=0)
    next_attempt_at = models.DateTimeField(_("다음 시도 시각"), default=timezone.now)
    claimed_at = models.DateTimeField(_("발송 시작 시각"), null=True, blank=True)
    sent_at = models.DateTimeField(_("발송 시각"), null=True, blank=True)
    error_code = models.CharField(_("오류 코드"), max_length=20, blank=True)
    error_message = models.TextField(_("오류 내용"), blank=True)
    created_at = models.DateTimeField(_("생성 시각"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("변경 시각"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_failed(self) -> bool:
        return self.status in FAILED_STATUSES

    def error_text(self) -> str:
        """The error in words a clerk understands (empty when there is none)."""
        if not self.error_code:
            return ""
        if self.is_failed and self.error_code in GAVE_UP_TEXTS:
            tried = ngettext(
                "%(count)d번 시도했습니다. 관리자가 다시 보낼 수 있습니다.",
                "%(count)d번 시도했습니다. 관리자가 다시 보낼 수 있습니다.",
                self.attempts,
            ) % {"count": self.attempts}
            return f"{GAVE_UP_TEXTS[self.error_code]} {tried}"
        return str(ERROR_TEXTS.get(self.error_code, _("알 수 없는 오류가 발생했습니다.")))


class SmsMessage(OutboxMessage):
    to = models.CharField(_("받는 번호"), max_length=20)
    body = models.TextField(_("내용"))
    segments = models.PositiveSmallIntegerField(_("분할 수"), default=1)
    encoding = models.CharField(_("인코딩"), max_length=5, default="UCS-2")
    is_long = models.BooleanField(_("장문 여부"), default=False)
    provider_id = models.CharField(_("발송 업체 ID"), max_length=64, blank=True, db_index=True)
    provider_status = models.CharField(_("발송 업체 상태"), max_length=20, blank=True)

    class Meta(OutboxMessage.Meta):
        verbose_name = _("문자 메시지")
        verbose_name_plural = _("문자 메시지")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="sms_due_idx")]

    def __str__(self) -> str:
        from .phones import mask_phone

        return f"{mask_phone(self.to)} · {self.template}"


class EmailMessage(OutboxMessage):
    to = models.EmailField(_("받는 주소"))
    subject = models.CharField(_("제목"), max_length=300)
    body = models.TextField(_("본문"))
    html_body = models.TextField(_("HTML 본문"), blank=True)

    class Meta(OutboxMessage.Meta):
        verbose_name = _("메일")
        verbose_name_plural = _("메일")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_due_idx")]

    def __str__(self) -> str:
        return f"{self.to} · {self.template}"  # the subject may name a citizen
