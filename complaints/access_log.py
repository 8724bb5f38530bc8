"""Writing the personal-data access log (개인정보의 안전성 확보조치 기준 제8조).

One call per view or export of personal data by staff: the account, the time, the
address, whose data (the filing) and what was done. Rows are kept at least two years
(``ACCESS_LOG_RETENTION_YEARS``; see ``complaints.retention``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.utils import unquote
from django.http import HttpRequest
from django.utils import timezone

from complaints.models import AccessAction, AccessLog


def record_access(
    request: HttpRequest, complaint_ids: Iterable[int], action: str = AccessAction.VIEW
) -> int:
    """Write one row per filing for ``request.user``; one INSERT whatever the count."""
    user = request.user
    if not user.is_authenticated:
        return 0
    now = timezone.now()
    address = request.META.get("REMOTE_ADDR") or None
    rows = [
        AccessLog(user=user, complaint_id=pk, at=now, ip_address=address, action=action)
        for pk in dict.fromkeys(complaint_ids)
        if pk is not None
    ]
    AccessLog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def record_subject_access(request: HttpRequest, obj, action: str = AccessAction.VIEW) -> int:
    """One row for a record of another app that holds personal data (a memo, a
    consultation, a board post): whose data is named ``app_label.model:pk``."""
    user = request.user
    if not user.is_authenticated or obj is None:
        return 0
    AccessLog.objects.create(
        user=user,
        subject=f"{obj._meta.label_lower}:{obj.pk}",
        at=timezone.now(),
        ip_address=request.META.get("REMOTE_ADDR") or None,
        action=action,
    )
    return 1


class AccessLoggedChangeView:
    """For admin classes whose change page shows personal data: one access-log row each
    time the page is shown to someone who may see the record, none when the request is
    refused (a POST by a read-only role ends in 403 before anything is shown).
    Subclasses say whose data it is in ``log_access``."""

    def log_access(self, request: HttpRequest, obj) -> None:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
            if obj is not None:
                self.log_access(request, obj)
        return response
