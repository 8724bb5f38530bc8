"""Admin screens for reception work, scoped to the viewer's department.

Records are created on the public forms or the staff memo page and change only through
the actions below, which call `reception.services`. Managers read everything and approve
commendations.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import CheckboxInput
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.access_log import AccessLoggedChangeView, record_subject_access
from complaints.models.complaint import mask_name
from staff_directory.admin_base import SystemRecordAdmin
from staff_directory.roles import scoped_to_department

from . import services
from .models import BoardPost, BoardSweep, CallbackState, Commendation, Consultation, Memo


class MaskedLabelMixin:
    """The list's row checkbox is labelled with ``str(obj)``, which names the citizen:
    label it with the names in ``masked_fields`` masked instead."""

    masked_fields: tuple[str, ...] = ()

    def action_checkbox(self, obj):
        label = str(obj)
        for field in self.masked_fields:
            value = (getattr(obj, field, "") or "").strip()
            if value:
                label = label.replace(value, mask_name(value))
        attrs = {
            "class": "action-select",
            "aria-label": format_html(gettext("Select this object for an action - {}"), label),
        }
        return CheckboxInput(attrs, lambda value: False).render(
            admin.helpers.ACTION_CHECKBOX_NAME, str(obj.pk)
        )


class ReadOnlyScopedAdmin(AccessLoggedChangeView, MaskedLabelMixin, admin.ModelAdmin):
    """Read-only rows of the viewer's department (managers: every department)."""

    def log_access(self, request, obj) -> None:
        # The detail shows a citizen's name and phone: write the personal-data access log.
        record_subject_access(request, obj)

    department_path = "department"
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        return scoped_to_department(
            super().get_queryset(request), request.user, self.department_path
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class OverdueFilter(admin.SimpleListFilter):
    title = _("회신 기한")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("기한 지남"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue(timezone.now())
        return queryset


def _close_action(close, state: str):
    def action(modeladmin, request, queryset):
        now = timezone.now()
        done = 0
        for item in queryset.filter(callback_state=CallbackState.PENDING):
            try:
                close(item, state=state, note="", by=request.user, now=now)
            except (ValidationError, PermissionDenied):
                continue
            done += 1
        modeladmin.message_user(
            request, _("%(n)d건을 처리했습니다.") % {"n": done}, messages.SUCCESS
        )

    return action


@admin.display(description=_("기한 지남"), boolean=True)
def overdue_flag(obj) -> bool:
    return obj.is_overdue(timezone.now())


@admin.register(Memo)
class MemoAdmin(ReadOnlyScopedAdmin):
    department_path = "owner__department"
    masked_fields = ("caller_name",)
    list_display = (
        "created_at",
        "kind",
        "owner",
        "masked_caller",
        "callback_needed",
        "callback_state",
        overdue_flag,
        "taker_name",
    )
    list_filter = ("callback_state", OverdueFilter, "kind")
    list_select_related = ("owner",)
    search_fields = ("caller_name", "owner__name", "taker_name")
    date_hierarchy = "created_at"
    actions = ["mark_done", "mark_not_needed"]

    @admin.display(description=_("건 사람 이름"), ordering="caller_name")
    def masked_caller(self, obj):
        return mask_name(obj.caller_name)

    @admin.action(description=_("회신 완료로 표시"), permissions=["change"])
    def mark_done(self, request, queryset):
        _close_action(services.close_memo, CallbackState.DONE)(self, request, queryset)

    @admin.action(description=_("회신 불필요로 표시"), permissions=["change"])
    def mark_not_needed(self, request, queryset):
        _close_action(services.close_memo, CallbackState.NOT_NEEDED)(self, request, queryset)


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyScopedAdmin):
    masked_fields = ("name",)
    list_display = (
        "created_at",
        "masked_name",
        "department",
        "callback_state",
        overdue_flag,
        "sms_consent",
    )
    list_filter = ("callback_state", OverdueFilter)
    list_select_related = ("department",)
    search_fields = ("name",)
    actions = ["mark_done", "mark_not_needed"]

    @admin.display(description=_("이름"), ordering="name")
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.action(description=_("회신 완료로 표시"), permissions=["change"])
    def mark_done(self, request, queryset):
        _close_action(services.close_consultation, CallbackState.DONE)(self, request, queryset)

    @admin.action(description=_("회신 불필요로 표시"), permissions=["change"])
    def mark_not_needed(self, request, queryset):
        _close_action(services.close_consultation, CallbackState.NOT_NEEDED)(
            self, request, queryset
        )


class AnsweredFilter(admin.SimpleListFilter):
    title = _("답변")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", _("답변 전")), ("yes", _("답변 완료"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(answered_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=False)
        return queryset


@admin.register(BoardPost)
class BoardPostAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "created_at",
        "title",
        "department",
        "is_public",
        "routed_at",
        "answered_at",
        "answer_link",
    )
    list_filter = (AnsweredFilter, "is_public")
    list_select_related = ("department",)
    search_fields = ("title",)
    exclude = ("password_hash",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "password_hash"]

    @admin.display(description=_("답변하기"))
    def answer_link(self, obj):
        url = reverse("reception:post_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("답변하기"))


@admin.register(BoardSweep)
class BoardSweepAdmin(SystemRecordAdmin):
    list_display = ("ran_at", "routed")


@admin.register(Commendation)
class CommendationAdmin(MaskedLabelMixin, admin.ModelAdmin):
    masked_fields = ("nominator_name",)
    list_display = ("created_at", "staff", "masked_nominator", "status", "reviewed_at")
    list_filter = ("status",)
    list_select_related = ("staff",)
    search_fields = ("staff__name", "nominator_name")
    show_full_result_count = False
    actions = ["approve", "reject"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.display(description=_("추천인 이름"), ordering="nominator_name")
    def masked_nominator(self, obj):
        return mask_name(obj.nominator_name)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("선택한 칭찬 추천 승인"), permissions=["change"])
    def approve(self, request, queryset):
        try:
            n = services.approve_commendations(queryset, by=request.user, now=timezone.now())
        except PermissionDenied:
            self.message_user(request, _("관리자만 승인할 수 있습니다."), messages.ERROR)
            return
        self.message_user(request, _("%(n)d건을 승인했습니다.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("선택한 칭찬 추천 반려"), permissions=["change"])
    def reject(self, request, queryset):
        try:
            n = services.reject_commendations(queryset, by=request.user, now=timezone.now())
        except PermissionDenied:
            self.message_user(request, _("관리자만 반려할 수 있습니다."), messages.ERROR)
            return
        self.message_user(request, _("%(n)d건을 반려했습니다.") % {"n": n}, messages.SUCCESS)
