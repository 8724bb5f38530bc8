"""Monthly review of the personal-data access log (개인정보의 안전성 확보조치 기준 제8조).

Managers look once a month at who opened or exported whose data: counts per account for
the month, then the rows, narrowed to one account if wanted. Managers and superusers
only; anonymous users go to the login page.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from complaints.models import AccessAction, AccessLog
from staff_directory.roles import is_manager

TEMPLATE = "complaints/staff/access_review.html"
PAGE_SIZE = 100


def _month(value: str, today: datetime.date) -> datetime.date:
    """'2026-11' → 2026-11-01; anything else (or out of range) → this month."""
    try:
        year, month = (int(part) for part in value[:7].split("-", 1))
        first = datetime.date(year, month, 1)
    except (TypeError, ValueError, OverflowError):
        return today.replace(day=1)
    return first if 2000 <= first.year <= today.year + 1 else today.replace(day=1)


def _bounds(first: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(following, datetime.time.min, tzinfo=zone),
    )


@require_GET
def access_review(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (user.is_active and user.is_staff and (user.is_superuser or is_manager(user))):
        return render(request, TEMPLATE, {"forbidden": True}, status=403)

    today = timezone.localdate()
    first = _month(request.GET.get("month", ""), today)
    start, end = _bounds(first)
    month_logs = AccessLog.objects.filter(at__gte=start, at__lt=end)
    per_account = (
        month_logs.values("user_id", "user__username")
        .annotate(
            total=Count("id"),
            views=Count("id", filter=Q(action=AccessAction.VIEW)),
            exports=Count("id", filter=Q(action=AccessAction.EXPORT)),
            people=Count("complaint_id", distinct=True),
        )
        .order_by("-total", "user__username")
    )
    account = request.GET.get("account", "")
    rows = month_logs.select_related("user", "complaint").only(
        "at", "ip_address", "action", "subject", "user__username", "complaint__receipt_number"
    )
    if account.isdigit() and len(account) < 12:
        rows = rows.filter(user_id=int(account))
    else:
        account = ""
    page = Paginator(rows.order_by("-at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        TEMPLATE,
        {
            "month": first,
            "month_value": f"{first:%Y-%m}",
            "previous": f"{(first - datetime.timedelta(days=1)):%Y-%m}",
            "following": f"{(first + datetime.timedelta(days=32)):%Y-%m}",
            "per_account": per_account,
            "account": account,
            "page": page,
        },
    )
