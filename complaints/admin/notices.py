"""A filing's failed notices on its admin page (O4): whoever may open the filing sees
which SMS and e-mails about it were not sent and why; managers get the way to retry."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from complaints.notices import key_prefix
from notifications.models import FAILED_STATUSES, EmailMessage, OutboxMessage, SmsMessage
from notifications.phones import mask_phone

SECTION = _("보내지 못한 알림")


def failed_notices_of(complaint) -> list[OutboxMessage]:
    """The filing's failed SMS and e-mails, newest first (two indexed queries)."""
    rows: list[OutboxMessage] = []
    for model in (SmsMessage, EmailMessage):
        queryset: QuerySet = model.objects.filter(
            key__startswith=key_prefix(complaint), status__in=FAILED_STATUSES
        )
        rows.extend(queryset.order_by("-created_at")[:50])
    return sorted(rows, key=lambda row: row.created_at, reverse=True)


def _recipient(row: OutboxMessage) -> str:
    return mask_phone(row.to) if isinstance(row, SmsMessage) else str(row.to)


def _table(rows: list[OutboxMessage]):
    if not rows:
        return _("없습니다.")
    items = format_html_join(
        "",
        "<li>{} · {} · {} · {}: {}</li>",
        (
            (
                timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                row._meta.verbose_name,
                _recipient(row),
                row.get_status_display(),  # type: ignore[attr-defined]
                row.error_text(),
            )
            for row in rows
        ),
    )
    return format_html('<ul class="failed-notices">{}</ul>', items)


def _retry_links(complaint):
    query = urlencode({"key__startswith": key_prefix(complaint), "failed": "yes"})
    return format_html(
        '<p><a href="{}?{}">{}</a> · <a href="{}?{}">{}</a></p>',
        reverse("admin:notifications_smsmessage_changelist"),
        query,
        _("실패한 문자 다시 보내기"),
        reverse("admin:notifications_emailmessage_changelist"),
        query,
        _("실패한 메일 다시 보내기"),
    )


class FailedNoticesSection:
    """ComplaintAdmin mixin: a read-only last section on the change page. Users who may
    change outbox rows (managers) also get links to the outbox lists filtered to these
    rows, where the retry action is."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None:
            return fieldsets
        may_retry = request.user.has_perm("notifications.change_smsmessage")
        field = "failed_notices_with_retry" if may_retry else "failed_notices"
        return [*fieldsets, (SECTION, {"fields": [field]})]

    @admin.display(description=SECTION)
    def failed_notices(self, obj):
        return _table(failed_notices_of(obj))

    @admin.display(description=SECTION)
    def failed_notices_with_retry(self, obj):
        rows = failed_notices_of(obj)
        if not rows:
            return _table(rows)
        return format_html("{}{}", _table(rows), _retry_links(obj))
