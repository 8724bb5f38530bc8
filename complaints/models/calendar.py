"""Calendar data that managers edit: closures and worked holidays.

The deadline clock (`complaints/deadlines.py`) reads these through
`complaints/calendar.py`, which caches the calendar and rebuilds it when a row changes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Closure(models.Model):
    """A day that is not a working day beyond the national holidays (임시공휴일, county
    closure), or, with `is_worked`, a holiday the county works (the rare override)."""

    date = models.DateField(_("날짜"), unique=True)
    name = models.CharField(_("이름"), max_length=100)
    is_worked = models.BooleanField(
        _("근무일로 지정"),
        default=False,
        help_text=_("공휴일이지만 근무하는 날이면 선택하세요."),
    )
    created_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("휴무일·근무일 지정")
        verbose_name_plural = _("휴무일·근무일 지정")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
