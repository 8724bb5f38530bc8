"""One-time tokens of the public filing form: one form, one filing (double submission).

The form carries a random nonce, signed so that it cannot be made up. Filing stores the
nonce in the same transaction as the complaint (`services.file_once`); a second
submission of the same form finds the row and is shown the receipt of the first instead
of filing again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint


class FormToken(models.Model):
    nonce = models.CharField(_("일회용 값"), max_length=64, unique=True)
    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("민원"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    used_at = models.DateTimeField(_("사용 시각"))

    class Meta:
        verbose_name = _("신청서 일회용 토큰")
        verbose_name_plural = _("신청서 일회용 토큰")

    def __str__(self) -> str:
        return self.nonce
