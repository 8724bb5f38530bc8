"""Admin for the Act's procedures (L3, L7): the agencies petitions are transferred to,
which managers edit, and the letters the clerk prints for citizens without a phone or an
e-mail address."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from staff_directory.roles import scoped_to_department

from ..models import Agency, Letter


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "phone", "delivery", "delivery_detail", "is_active"]
    list_filter = ["delivery", "is_active"]
    search_fields = ["name", "name_en"]
    # An address typed without a scheme is the agency's https site.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request, obj=None):
        # Transferred filings keep pointing at the agency: retire it with "사용" instead.
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["created_at", "complaint", "subject", "recipient", "printed_at"]
    list_filter = [("printed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["complaint"]
    fields = ["complaint", "recipient", "address", "subject", "body", "created_at", "printed_at"]
    readonly_fields = fields
    raw_id_fields = ["complaint"]
    show_full_result_count = False
    actions = ["mark_printed"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scoped_to_department(queryset, request.user, "complaint__department")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("우편으로 보냄"))
    def mark_printed(self, request, queryset):
        count = queryset.filter(printed_at__isnull=True).update(
            printed_at=timezone.now(), printed_by=request.user
        )
        self.message_user(
            request,
            gettext("%(count)d건을 보낸 것으로 표시했습니다.") % {"count": count},
            messages.SUCCESS,
        )
