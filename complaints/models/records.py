"""Files attached to complaints and the personal-data access log (개인정보 접속기록)."""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private/: never given a URL, served only by a view that
    checks permission. The location follows MEDIA_ROOT at call time (tests change it)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):  # type: ignore[override]
        return Path(settings.MEDIA_ROOT) / "private"

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @cached_property
    def base_url(self):  # type: ignore[override]
        return None

    def url(self, name):
        raise ValueError("private files have no URL; use the attachment download view")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name: the citizen's file name never reaches the disk."""
    ext = instance.extension or "bin"
    return f"complaints/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("민원"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("파일"), storage=private_storage, upload_to=attachment_path, max_length=200
    )
    original_name = models.CharField(_("원래 파일 이름"), max_length=200)
    extension = models.CharField(_("확장자"), max_length=8)
    content_type = models.CharField(_("파일 형식"), max_length=100)
    size = models.PositiveIntegerField(_("크기(바이트)"))
    uploaded_at = models.DateTimeField(_("올린 시각"))
    # Sent by the citizen in answer to a 보완 request (L2), not with the filing.
    is_supplement = models.BooleanField(_("보완 서류"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("첨부파일")
        verbose_name_plural = _("첨부파일")

    def __str__(self) -> str:
        return self.original_name


class AccessAction(models.TextChoices):
    VIEW = "view", _("조회")
    EXPORT = "export", _("내려받기")


class AccessLog(models.Model):
    """Who opened whose personal data, when and from where (개인정보의 안전성 확보조치 기준)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("직원"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("민원"),
        on_delete=models.CASCADE,
        related_name="access_logs",
        null=True,
        blank=True,
    )
    # Whose data when it is not a filing's: "reception.memo:12" (a memo, consultation or
    # board post of another app, named by label and id).
    subject = models.CharField(_("대상"), max_length=60, blank=True)
    at = models.DateTimeField(_("시각"))
    ip_address = models.GenericIPAddressField(_("접속 주소"), null=True, blank=True)
    action = models.CharField(_("수행 업무"), max_length=10, choices=AccessAction.choices)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("개인정보 접속기록")
        verbose_name_plural = _("개인정보 접속기록")
        indexes = [
            models.Index(fields=["complaint", "at"], name="accesslog_complaint_idx"),
            models.Index(fields=["user", "at"], name="accesslog_user_idx"),
        ]

    def __str__(self) -> str:
        whose = self.complaint_id if self.complaint_id is not None else self.subject
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {whose}"
