"""Admin of the compensation app (R1–R6).

Rules are edited by managers through ``services.edit_rule`` (each save is a version);
payouts are proposed by clerks on a form, approved, rejected and marked paid by
managers through actions that call the services. Extra views: the month's voucher
batch with its CSV for the purchase, and spend per rule and department.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.access_log import AccessLoggedChangeView, record_access
from complaints.models import AccessAction
from notifications.phones import InvalidPhoneNumber, mask_phone
from staff_directory.roles import department_of, is_manager, scoped_to_department

from . import reports, services
from .forms import CompensationRuleForm, ProposePayoutForm, RejectForm
from .models import (
    RULE_TERMS_FIELDS,
    CompensationRule,
    CompensationRuleVersion,
    Payout,
    TrainingRecord,
    TrainingState,
)
from .rules import AmountError


class RuleVersionInline(admin.TabularInline):
    model = CompensationRuleVersion
    extra = 0
    can_delete = False
    fields = [
        "version",
        "changed_at",
        "changed_by",
        "amount",
        "amount_resident",
        "amount_nonresident",
        "kind",
        "is_active",
        "note",
    ]
    readonly_fields = fields
    ordering = ["-version"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CompensationRule)
class CompensationRuleAdmin(admin.ModelAdmin):
    form = CompensationRuleForm
    list_display = [
        "code",
        "title",
        "amount",
        "amount_resident",
        "amount_nonresident",
        "kind",
        "is_active",
        "version",
        "updated_at",
        "updated_by",
    ]
    list_select_related = ["updated_by"]
    readonly_fields = ["code", "version", "updated_at", "updated_by"]
    fields = ["code", *RULE_TERMS_FIELDS, "note", "version", "updated_at", "updated_by"]
    inlines = [RuleVersionInline]

    def has_add_permission(self, request) -> bool:
        return False  # the standard's five rules are seeded; none is added or removed

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return is_manager(request.user) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        changes = {name: form.cleaned_data[name] for name in RULE_TERMS_FIELDS}
        saved = services.edit_rule(
            obj,
            by=request.user,
            now=timezone.now(),
            note=form.cleaned_data.get("note", ""),
            **changes,
        )
        obj.version = saved.version


class MonthFilter(admin.SimpleListFilter):
    """The month a payout was approved: the voucher batch it belongs to."""

    title = gettext_lazy("승인 월")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        return [(m, m) for m in services.recent_months(timezone.localdate(), 12)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            start, end = services.month_bounds(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(approved_at__gte=reports.day_start(start)).filter(
            approved_at__lt=reports.day_start(end)
        )


@admin.register(Payout)
class PayoutAdmin(AccessLoggedChangeView, admin.ModelAdmin):
    list_display = [
        "receipt_number",
        "rule",
        "department",
        "amount_won",
        "kind",
        "state",
        "masked_recipient",
        "automatic",
        "proposed_at",
        "approved_at",
        "paid_at",
    ]
    list_filter = ["state", MonthFilter, "rule", "kind", "automatic", "department"]
    list_select_related = ["complaint", "rule", "department"]
    search_fields = ["complaint__receipt_number"]
    raw_id_fields = ["complaint"]
    show_full_result_count = False
    date_hierarchy = None
    actions = ["approve_selected", "reject_selected", "mark_paid_selected"]
    exclude = ["bank_name", "bank_account", "bank_holder", "recipient_phone"]

    # --- scope and permissions ----------------------------------------------------------
    def get_queryset(self, request):
        return scoped_to_department(super().get_queryset(request), request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # payouts change only through the actions below

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in self.model._meta.fields if f.name not in self.exclude]
        return [*fields, "masked_recipient", "bank_details"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_manager(request.user):
            for name in ("approve_selected", "reject_selected", "mark_paid_selected"):
                actions.pop(name, None)
        return actions

    # --- columns ------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("접수번호"), ordering="complaint__receipt_number")
    def receipt_number(self, obj: Payout) -> str:
        return obj.complaint.receipt_number

    @admin.display(description=gettext_lazy("금액(원)"), ordering="amount")
    def amount_won(self, obj: Payout) -> str:
        return f"{obj.amount:,}"

    @admin.display(description=gettext_lazy("받는 분 휴대전화"))
    def masked_recipient(self, obj: Payout) -> str:
        return mask_phone(obj.recipient_phone) if obj.recipient_phone else "–"

    @admin.display(description=gettext_lazy("계좌"))
    def bank_details(self, obj: Payout) -> str:
        if not obj.has_bank_details:
            return "–"
        tail = obj.bank_account[-4:] if len(obj.bank_account) > 4 else ""
        return f"{obj.bank_name} ****{tail} ({obj.bank_holder})"

    # --- actions ------------------------------------------------------------------------
    def _each(self, request, queryset, verb, done_message) -> None:
        now = timezone.now()
        done = 0
        for payout in queryset.select_related(None).only("pk"):
            try:
                verb(payout, by=request.user, now=now)
            except (services.CompensationError, PermissionDenied) as exc:
                self.message_user(request, f"#{payout.pk}: {exc}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("선택한 보상 승인(문자 안내)"))
    def approve_selected(self, request, queryset):
        self._each(request, queryset, services.approve_payout, _("%(count)s건을 승인했습니다."))

    @admin.action(description=gettext_lazy("선택한 보상 지급 완료 처리"))
    def mark_paid_selected(self, request, queryset):
        self._each(
            request, queryset, services.mark_paid, _("%(count)s건을 지급 완료로 기록했습니다.")
        )

    @admin.action(description=gettext_lazy("선택한 보상 반려"))
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(
                request,
                queryset,
                lambda payout, by, now: services.reject_payout(
                    payout, by=by, now=now, reason=reason
                ),
                _("%(count)s건을 반려했습니다."),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("보상 반려"),
            "opts": self.model._meta,
            "form": form,
            "payouts": queryset,
            "action": "reject_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/compensation/payout/reject.html", context)

    # --- extra views --------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("propose/", wrap(self.propose_view), name="compensation_payout_propose"),
            path("batch/", wrap(self.batch_view), name="compensation_payout_batch"),
            path("batch/csv/", wrap(self.batch_csv_view), name="compensation_payout_batch_csv"),
            path("spend/", wrap(self.spend_view), name="compensation_payout_spend"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:compensation_payout_propose")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "is_manager": is_manager(request.user)}
        return super().changelist_view(request, extra_context)

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            **extra,
        }

    def propose_view(self, request: HttpRequest):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ProposePayoutForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            complaint = form.complaint
            if not is_manager(request.user) and complaint.department_id != getattr(
                department_of(request.user), "pk", None
            ):
                form.add_error("receipt_number", _("다른 부서의 민원입니다."))
            else:
                data = form.cleaned_data
                try:
                    payout = services.propose_payout(
                        complaint,
                        data["rule"],
                        by=request.user,
                        now=timezone.now(),
                        amount=data.get("amount"),
                        kind=data.get("kind") or None,
                        recipient_name=data.get("recipient_name") or None,
                        recipient_phone=data.get("recipient_phone") or None,
                        bank_name=data.get("bank_name", ""),
                        bank_account=data.get("bank_account", ""),
                        bank_holder=data.get("bank_holder", ""),
                        note=data.get("note", ""),
                        **form.reported_facts(),
                    )
                except (AmountError, services.CompensationError, InvalidPhoneNumber) as exc:
                    form.add_error(None, str(exc))
                else:
                    self.message_user(
                        request,
                        _("%(code)s 보상 %(amount)s원을 제안했습니다. 관리자 승인을 기다립니다.")
                        % {"code": payout.rule.code, "amount": f"{payout.amount:,}"},
                        messages.SUCCESS,
                    )
                    return redirect("admin:compensation_payout_changelist")
        context = self._context(request, _("보상 제안"), form=form)
        status = 400 if form.errors else 200
        return TemplateResponse(
            request, "admin/compensation/payout/propose.html", context, status=status
        )

    def _month(self, request) -> str:
        month = request.GET.get("month") or timezone.localdate().strftime("%Y-%m")
        try:
            services.month_bounds(month)
        except ValueError:
            month = timezone.localdate().strftime("%Y-%m")
        return month

    def batch_view(self, request: HttpRequest):
        if not is_manager(request.user):
            raise PermissionDenied
        month = self._month(request)
        rows = reports.voucher_batch(month)
        context = self._context(
            request,
            _("%(month)s 문화상품권 구매 목록") % {"month": month},
            month=month,
            months=services.recent_months(timezone.localdate(), 12),
            rows=rows,
            total=reports.batch_total(month),
            csv_url=reverse("admin:compensation_payout_batch_csv") + f"?month={month}",
        )
        return TemplateResponse(request, "admin/compensation/payout/batch.html", context)

    def batch_csv_view(self, request: HttpRequest):
        if not is_manager(request.user):
            raise PermissionDenied
        month = self._month(request)
        # The vendor list carries recipients' phone numbers: an export of personal data.
        record_access(
            request,
            reports._batch_queryset(month).values_list("complaint_id", flat=True),
            AccessAction.EXPORT,
        )
        return reports.voucher_batch_csv(month)

    def log_access(self, request, obj) -> None:
        # The detail shows the recipient's name and bank details: log who looked.
        record_access(request, [obj.complaint_id], AccessAction.VIEW)

    def spend_view(self, request: HttpRequest):
        if not is_manager(request.user):
            raise PermissionDenied
        year_text = request.GET.get("year", "")
        year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
        year = year or timezone.localdate().year
        context = self._context(
            request,
            _("%(year)s년 보상 지출") % {"year": year},
            year=year,
            by_rule_department=reports.spend_by_rule_and_department(year),
            by_rule=reports.spend_by_rule(year),
        )
        return TemplateResponse(request, "admin/compensation/payout/spend.html", context)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["department", "topic", "state", "created_at", "held_on"]
    list_filter = ["state", "department"]
    list_select_related = ["department"]
    show_full_result_count = False
    fields = [
        "department",
        "payout",
        "topic",
        "state",
        "created_at",
        "created_by",
        "held_on",
        "note",
    ]
    readonly_fields = ["department", "payout", "topic", "state", "created_at", "created_by"]

    def get_queryset(self, request):
        return scoped_to_department(super().get_queryset(request), request.user)

    def has_add_permission(self, request) -> bool:
        return False  # written by approve_payout for R5

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return is_manager(request.user) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if obj.held_on:
            services.record_training(
                obj, by=request.user, now=timezone.now(), held_on=obj.held_on, note=obj.note
            )
        elif obj.state != TrainingState.DONE:
            self.message_user(request, _("교육일을 입력하면 완료로 기록됩니다."), messages.WARNING)
