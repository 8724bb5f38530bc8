"""Outbox lists for clerks: read-only, numbers masked, errors in words, a retry action."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import FAILED_STATUSES, EmailMessage, SmsMessage
from .phones import mask_phone


class FailedFilter(admin.SimpleListFilter):
    title = _("발송 실패 여부")
    parameter_name = "failed"

    def lookups(self, request, model_admin):
        return [("yes", _("실패")), ("no", _("실패 아님"))]

    def queryset(self, request, queryset):
        failed = Q(status__in=FAILED_STATUSES)
        if self.value() == "yes":
            return queryset.filter(failed)
        if self.value() == "no":
            return queryset.exclude(failed)
        return queryset


class OutboxAdmin(admin.ModelAdmin):
    list_filter = ["status", FailedFilter, "created_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    list_per_page = 50
    actions = ["retry_selected"]
    search_fields = ["=key", "=provider_id"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A row is never edited here, not even saved unchanged: "change" only allows
        # the retry action on the list.
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["error_words"]

    @admin.display(description=_("오류"))
    def error_words(self, obj):
        return obj.error_text()

    @admin.action(description=_("선택한 실패 메시지를 다시 보내기"), permissions=["change"])
    def retry_selected(self, request, queryset):
        count = services.retry_failed(queryset.values_list("id", flat=True), model=self.model)
        self.message_user(
            request,
            gettext("%(count)d건을 다시 보내도록 예약했습니다.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(SmsMessage)
class SmsMessageAdmin(OutboxAdmin):
    list_display = [
        "created_at",
        "masked_to",
        "template",
        "status",
        "segments",
        "attempts",
        "error_words",
        "sent_at",
    ]
    search_fields = ["=key", "=provider_id"]
    exclude = ["to"]

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in self.model._meta.fields if f.name != "to"]
        return ["masked_to", *fields, "error_words"]

    @admin.display(description=_("받는 번호"))
    def masked_to(self, obj):
        return mask_phone(obj.to)


@admin.register(EmailMessage)
class EmailMessageAdmin(OutboxAdmin):
    # The subject names the caller of a memo or a consultation: the list shows the
    # template, the detail page the subject.
    list_display = ["created_at", "to", "template", "status", "attempts", "error_words", "sent_at"]
    search_fields = ["=key", "=to"]
