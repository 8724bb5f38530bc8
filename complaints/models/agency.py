"""Other agencies a petition can be transferred to (이송, 시행령 제13조, L3), and the
printed letters of citizens who gave neither a phone nor an e-mail address."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.i18n import localized


class Delivery(models.TextChoices):
    ONLINE = "online", _("전자문서(문서24·온나라)")
    MAIL = "mail", _("우편")
    FAX = "fax", _("FAX")
    HAND = "hand", _("직접 전달")


class Agency(models.Model):
    """An agency outside the county, as managers enter it: who, how to reach them, and
    how the documents go."""

    name = models.CharField(_("기관 이름"), max_length=100, unique=True)
    name_en = models.CharField(_("영문 기관 이름"), max_length=150, blank=True)
    phone = models.CharField(_("민원 전화"), max_length=30)
    website = models.URLField(_("누리집"), blank=True)
    address = models.CharField(_("주소"), max_length=200, blank=True)
    delivery = models.CharField(
        _("서류 보내는 방법"), max_length=10, choices=Delivery.choices, default=Delivery.ONLINE
    )
    delivery_detail = models.CharField(
        _("보내는 곳"),
        max_length=200,
        blank=True,
        help_text=_("전자문서 수신처, 우편 주소 또는 FAX 번호"),
    )
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("이송 기관")
        verbose_name_plural = _("이송 기관")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class Letter(models.Model):
    """A legal notice to post: the citizen gave no phone and no e-mail address (L1–L7).
    Written in the transaction of the change it reports; the clerk prints and posts it."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("민원"),
        on_delete=models.CASCADE,
        related_name="letters",
    )
    key = models.CharField(_("중복 방지 키"), max_length=200, unique=True)
    template = models.CharField(_("템플릿"), max_length=100)
    language = models.CharField(_("언어"), max_length=10)
    recipient = models.CharField(_("받는 사람"), max_length=50, blank=True)
    address = models.CharField(_("주소"), max_length=200, blank=True)
    subject = models.CharField(_("제목"), max_length=300)
    body = models.TextField(_("본문"))
    created_at = models.DateTimeField(_("생성 시각"))
    printed_at = models.DateTimeField(_("발송 처리 시각"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("발송 처리 직원"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["printed_at", "created_at", "id"]
        verbose_name = _("우편 통지")
        verbose_name_plural = _("우편 통지")

    def __str__(self) -> str:
        return self.subject
