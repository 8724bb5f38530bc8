"""One-time tokens of the public filing form: one form, one filing (double submission).

The form carries a random nonce, signed so that it cannot be made up. Filing stores the
nonce in the same transaction as the complaint; a second submission of the same form
finds the row and is shown the receipt of the first instead of filing again.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
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


class TokenAlreadyUsed(Exception):
    """The form was already submitted once; `complaint` is what that submission filed."""

    def __init__(self, complaint: Complaint) -> None:
        super().__init__(complaint.receipt_number)
        self.complaint = complaint


def file_once(nonce: str, intake, *, now, checked: bool = False) -> Complaint:
    """File `intake` unless this form's `nonce` already filed something.

    The token row is written in the filing's transaction: an excluded or invalid filing
    leaves neither, and two submissions racing with one nonce meet at the unique index
    (the second waits for the first, then finds its row). ``checked``: the caller has
    just looked the nonce up itself (`filed_with`), so it is not looked up twice.
    """
    from complaints.services import file_complaint

    earlier = None if checked else filed_with(nonce)
    if earlier is not None:
        raise TokenAlreadyUsed(earlier)
    try:
        with transaction.atomic():
            complaint = file_complaint(intake, by=None, now=now)
            FormToken.objects.create(nonce=nonce, complaint=complaint, used_at=now)
    except IntegrityError:
        earlier = filed_with(nonce)
        if earlier is None:
            raise
        raise TokenAlreadyUsed(earlier) from None
    return complaint


def filed_with(nonce: str) -> Complaint | None:
    """The complaint an earlier submission of this form filed, if any."""
    token = FormToken.objects.select_related("complaint").filter(nonce=nonce).first()
    return token.complaint if token else None
