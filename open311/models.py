"""API keys of outside clients, and what the Open311 API adds to a filing it carries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """One client's key. Only a SHA-256 of the key is kept, with a short prefix to show:
    the key itself is printed once, when it is issued."""

    name = models.CharField(_("사용처 이름"), max_length=100)
    contact = models.CharField(_("사용처 연락처"), max_length=200, blank=True)
    prefix = models.CharField(_("키 앞부분"), max_length=16, editable=False)
    key_hash = models.CharField(_("키 해시(SHA-256)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("발급 시각"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("발급한 사람"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("폐기 시각"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("API 키")
        verbose_name_plural = _("API 키")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Submission(models.Model):
    """A filing that came in through the API: which client sent it, the token that
    finds it, and the location and photo link that Open311 carries."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("민원"),
        on_delete=models.CASCADE,
        related_name="open311",
    )
    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("API 키"), on_delete=models.PROTECT, related_name="submissions"
    )
    token = models.CharField(_("토큰"), max_length=40, unique=True)
    latitude = models.DecimalField(_("위도"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("경도"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address_string = models.CharField(_("발생 장소 주소"), max_length=200, blank=True)
    media_url = models.URLField(_("사진 주소"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("제출 시각"))

    class Meta:
        ordering = ["-submitted_at", "id"]
        verbose_name = _("Open311 신청")
        verbose_name_plural = _("Open311 신청")

    def __str__(self) -> str:
        return self.token
