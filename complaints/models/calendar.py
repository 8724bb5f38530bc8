"""Calendar data that managers edit: closures and worked holidays.

The deadline clock (`complaints/deadlines.py`) reads these through
`complaints/calendar.py`, which caches the calendar and rebuilds it when a row changes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosureKind(models.TextChoices):
    # A holiday the government designates (임시공휴일): a public holiday, so it is left
    # out of legal periods as well (법 제19조, L8).
    PUBLIC_HOLIDAY = "public_holiday", _("임시공휴일(정부 지정)")
    # The county's own closure: it moves internal stage budgets only, never a legal one.
    COUNTY = "county", _("군 자체 휴무")


class Closure(models.Model):
    """A day that is not a working day beyond the national holidays: a government
    temporary holiday (counts for legal periods) or a county closure (internal stage
    budgets only); or, with `is_worked`, a holiday the county works, which also moves
    internal stage budgets only: working on a holiday never shortens a legal period."""

    date = models.DateField(_("날짜"), unique=True)
    name = models.CharField(_("이름"), max_length=100)
    kind = models.CharField(
        _("구분"),
        max_length=16,
        choices=ClosureKind.choices,
        default=ClosureKind.COUNTY,
        help_text=_(
            "임시공휴일은 법정처리기한에서도 빠집니다. 군 자체 휴무는 내부 단계 기한만 늦추고 "
            "법정처리기한은 바꾸지 않습니다."
        ),
    )
    is_worked = models.BooleanField(
        _("근무일로 지정"),
        default=False,
        help_text=_(
            "공휴일이지만 근무하는 날이면 선택하세요. 내부 단계 기한에만 쓰이고 법정처리기한은 "
            "당기지 않습니다."
        ),
    )
    created_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("휴무일·근무일 지정")
        verbose_name_plural = _("휴무일·근무일 지정")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
