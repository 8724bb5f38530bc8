"""Read-only views of payouts for managers: the month's voucher batch, its CSV for the
purchase, and spend per rule and department. Database aggregates only."""

import csv
from datetime import date, datetime, time

from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models.complaint import mask_name
from notifications.phones import mask_phone

from .models import Payout, PayoutKind, PayoutState
from .services import month_bounds

SPENT_STATES = (PayoutState.APPROVED, PayoutState.PAID)


# One payout a row, in the voucher batch's page and in its CSV alike.
BATCH_FIELDS = (
    "id",
    "complaint__receipt_number",
    "rule__code",
    "department__name",
    "recipient_name",
    "recipient_phone",
    "amount",
    "approved_at",
    "pay_by",
)


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _batch_queryset(month: str):
    start, end = month_bounds(month)
    return Payout.objects.filter(
        state=PayoutState.APPROVED,
        kind=PayoutKind.VOUCHER,
        approved_at__gte=day_start(start),
        approved_at__lt=day_start(end),
    )


def voucher_batch(month: str) -> list[dict]:
    """Approved, unpaid vouchers approved in ``month`` ('YYYY-MM'), for the screen:
    names and phones masked."""
    rows = _batch_queryset(month).order_by("approved_at", "id").values(*BATCH_FIELDS)
    return [
        {
            **row,
            "recipient_name": mask_name(row["recipient_name"]),
            "recipient_phone": mask_phone(row["recipient_phone"]) if row["recipient_phone"] else "",
        }
        for row in rows
    ]


def batch_total(month: str) -> dict:
    return _batch_queryset(month).aggregate(count=Count("id"), total=Sum("amount"))


def voucher_batch_csv(month: str) -> HttpResponse:
    """The purchase list for the month's mobile culture vouchers. The full phone number
    is in it because the vendor sends each voucher to that phone; the name is masked,
    as the vendor does not need it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vouchers-{month}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Korean text only with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("번호"),
            _("접수번호"),
            _("보상기준"),
            _("부서"),
            _("받는 분"),
            _("휴대전화(상품권 발송)"),
            _("금액(원)"),
            _("승인일"),
            _("지급 예정일"),
        ]
    )
    rows = _batch_queryset(month).order_by("approved_at", "id").values_list(*BATCH_FIELDS)
    for pk, receipt, code, department, name, phone, amount, approved_at, pay_by in rows:
        writer.writerow(
            [
                pk,
                receipt,
                code,
                department,
                mask_name(name),
                phone,
                amount,
                timezone.localtime(approved_at).strftime("%Y-%m-%d"),
                pay_by.isoformat() if pay_by else "",
            ]
        )
    return response


def _spent(year: int):
    return Payout.objects.filter(
        state__in=SPENT_STATES,
        approved_at__gte=day_start(date(year, 1, 1)),
        approved_at__lt=day_start(date(year + 1, 1, 1)),
    )


def spend_by_rule_and_department(year: int) -> list[dict]:
    """Per rule and department: payouts approved in ``year`` (paid or to pay)."""
    return list(
        _spent(year)
        .values("rule__code", "department__name")
        .annotate(
            count=Count("id"),
            total=Sum("amount"),
            paid=Sum("amount", filter=Q(state=PayoutState.PAID)),
        )
        .order_by("rule__code", "department__name")
    )


def spend_by_rule(year: int) -> list[dict]:
    return list(
        _spent(year)
        .values("rule__code")
        .annotate(
            count=Count("id"),
            total=Sum("amount"),
            paid=Sum("amount", filter=Q(state=PayoutState.PAID)),
        )
        .order_by("rule__code")
    )
