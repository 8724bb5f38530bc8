"""API keys in the admin: issue (the key is shown once), see, revoke. Managers only."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff_directory.admin_base import SystemRecordAdmin

from . import services
from .models import ApiKey, Submission


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "contact", "created_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix", "contact")
    readonly_fields = ("prefix", "created_at", "created_by", "revoked_at")
    fields = ("name", "contact", "prefix", "created_at", "created_by", "revoked_at")
    actions = ["revoke"]
    show_full_result_count = False
    list_select_related = ("created_by",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # A key is issued once and then only revoked; a new client gets a new key.
            return ("name", "contact", *self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        key, raw = services.issue_key(
            obj.name, contact=obj.contact, by=request.user, now=timezone.now()
        )
        obj.pk = key.pk
        obj.prefix, obj.key_hash, obj.created_at = key.prefix, key.key_hash, key.created_at
        obj.created_by = key.created_by
        obj._state.adding = False
        self.message_user(
            request,
            _("새 API 키입니다. 지금 한 번만 보여 드리니 안전하게 전달하세요: %(key)s")
            % {"key": raw},
            messages.WARNING,
        )

    @admin.action(description=_("선택한 API 키 폐기"), permissions=["change"])
    def revoke(self, request, queryset):
        count = services.revoke_keys(queryset, now=timezone.now())
        self.message_user(
            request,
            ngettext(
                "API 키 %(count)d개를 폐기했습니다.", "API 키 %(count)d개를 폐기했습니다.", count
            )
            % {"count": count},
        )


@admin.register(Submission)
class SubmissionAdmin(SystemRecordAdmin):
    list_display = ("complaint", "api_key", "submitted_at", "address_string")
    list_select_related = ("complaint", "api_key")
    raw_id_fields = ("complaint",)
    readonly_fields = (
        "complaint",
        "api_key",
        "token",
        "latitude",
        "longitude",
        "address_string",
        "media_url",
        "submitted_at",
    )
    search_fields = ("complaint__receipt_number",)
