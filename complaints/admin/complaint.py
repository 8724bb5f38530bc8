"""The clerks' queue (C2 V6 M1): scoped per department, priority first, actions that call
the services, a read-only history, and an access log of every opened record."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.db.models import Case, CharField, Q, Value, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints import services
from complaints.access_log import AccessLoggedChangeView, record_access
from complaints.admin import desk
from complaints.admin.notices import FailedNoticesSection
from complaints.forms.staff import (
    AgencyTransferForm,
    ExtendForm,
    HoldForm,
    RefuseForm,
    ResultForm,
    TransferForm,
)
from complaints.models import (
    AccessAction,
    AccessLog,
    Complaint,
    ComplaintType,
    Stage,
)
from complaints.models.complaint import OPEN_STAGES
from notifications.phones import InvalidPhoneNumber, normalize_phone
from staff_directory.roles import staff_member_of

RECEIPT_RE = re.compile(r"^(\d{4})-(\d{1,6})$")
_RUNNING = list(OPEN_STAGES - {Stage.ON_HOLD})
# Previous/next on a complaint's page look this far into the user's queue.
QUEUE_WINDOW = 500

DUE_LABELS = {
    "overdue": _("기한 경과"),
    "today": _("오늘 마감"),
    "ontime": _("기한 내"),
    "none": "—",
}


def _end_of_today(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min))


def annotate_due_state(queryset, now: datetime):
    """The stage-due state computed in the database: overdue / due today / on time."""
    return queryset.annotate(
        due_state=Case(
            When(Q(stage__in=_RUNNING, stage_due_at__lt=now), then=Value("overdue")),
            When(Q(stage__in=_RUNNING, stage_due_at__lt=_end_of_today(now)), then=Value("today")),
            When(stage__in=_RUNNING, then=Value("ontime")),
            default=Value("none"),
            output_field=CharField(),
        )
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("기한 경과")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("기한 경과")), ("today", _("오늘 마감")), ("no", _("기한 내"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(stage__in=_RUNNING, stage_due_at__lt=now)
        if self.value() == "today":
            return queryset.filter(
                stage__in=_RUNNING, stage_due_at__gte=now, stage_due_at__lt=_end_of_today(now)
            )
        if self.value() == "no":
            return queryset.exclude(stage__in=_RUNNING, stage_due_at__lt=now)
        return queryset


@admin.register(Complaint)
class ComplaintAdmin(FailedNoticesSection, AccessLoggedChangeView, admin.ModelAdmin):
    list_display = [
        "receipt_number",
        "masked_name",
        "complaint_type",
        "stage",
        "stage_due",
        "due_at",
        "priority",
        "department",
        "owner",
    ]
    list_display_links = ["receipt_number"]
    list_filter = ["stage", OverdueFilter, "channel", "complaint_type", "is_priority"]
    search_fields = ["receipt_number"]
    search_help_text = _("접수번호(2026-000123) 또는 휴대전화 번호로 찾습니다.")
    list_select_related = ["complaint_type", "department", "owner"]
    show_full_result_count = False
    list_per_page = 50
    change_form_template = "admin/complaints/complaint/change_form.html"
    actions = [
        "assign_to_me",
        "advance",
        "put_on_hold",
        "resume",
        "extend",
        "transfer",
        "transfer_to_agency",
        "refuse",
        "close_with_result",
    ]
    fieldsets = [
        (
            _("접수"),
            {
                "fields": [
                    "receipt_number",
                    "kind",
                    "complaint_type",
                    "channel",
                    "arrived_at",
                    "received_at",
                    "created_by",
                ]
            },
        ),
        (
            _("민원인"),
            {
                "fields": [
                    "complainant_name",
                    "phone_display",
                    "email",
                    "address",
                    "lives_in_county",
                    "filer_type",
                    "priority_display",
                    "visit_count",
                    "sms_consent",
                    "assisted_by",
                    "citizen_confirmed",
                ]
            },
        ),
        (_("내용"), {"fields": ["title", "content", "location_text", "attachment_links"]}),
        (
            _("처리"),
            {
                "fields": [
                    "department",
                    "owner",
                    "stage",
                    "stage_entered_at",
                    "stage_due_at",
                    "due_at",
                    "hold_reason",
                    "hold_answer_by",
                    "hold_requested_late",
                    "extension_count",
                    "extension_consent",
                    "extension_reason",
                    "result_text",
                    "refusal_reason",
                    "closed_at",
                    "transferred_to",
                    "owner_notified_at",
                    "notice_delay_minutes",
                ]
            },
        ),
    ]

    # --- Scope and permissions -------------------------------------------------------
    def get_queryset(self, request):
        return annotate_due_state(Complaint.objects.for_queue(request.user), timezone.now())

    def has_add_permission(self, request):
        # Filing goes through the intake page, which calls file_complaint.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The record itself is read-only: every change is a service (the actions).
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    # --- Search: exact receipt number or phone (indexed; fast at a million rows) ------
    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()
        if not term:
            return queryset, False
        match = RECEIPT_RE.match(term)
        if match:
            number = f"{match.group(1)}-{int(match.group(2)):06d}"
            return queryset.filter(receipt_number=number), False
        try:
            phone = normalize_phone(term)
        except InvalidPhoneNumber:
            return queryset.none(), False
        return queryset.filter(phone=phone), False

    # --- Columns ---------------------------------------------------------------------
    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """The row's selection box, the same markup as Django's, written directly: Django
        draws it through the form widget templates, a fifth of the queue's time."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    @admin.display(description=_("민원인"))
    def masked_name(self, obj):
        return obj.masked_name

    @admin.display(description=_("단계 기한"), ordering="stage_due_at")
    def stage_due(self, obj):
        state = getattr(obj, "due_state", "none")
        if obj.stage_due_at is None or state == "none":
            return "—"
        when = timezone.localtime(obj.stage_due_at).strftime("%m-%d %H:%M")
        marker = {"overdue": "⚠ ", "today": "● ", "ontime": ""}[state]
        return format_html(
            '<span class="due-{}">{}{} ({})</span>', state, marker, DUE_LABELS[state], when
        )

    @admin.display(description=_("우선"), ordering="-is_priority")
    def priority(self, obj):
        # A word, not Django's red ✗ (which reads as an error) for "not priority".
        if not obj.is_priority:
            return ""
        return format_html('<span class="badge-priority">{}</span>', gettext("우선 처리"))

    @admin.display(description=_("휴대전화"))
    def phone_display(self, obj):
        return obj.phone or "—"

    @admin.display(description=_("우선 처리 사유"))
    def priority_display(self, obj):
        from complaints.models import PriorityReason

        labels = [str(PriorityReason(r).label) for r in obj.priority_reasons or []]
        return ", ".join(labels) or "—"

    @admin.display(description=_("첨부파일"))
    def attachment_links(self, obj):
        items = list(obj.attachments.all())
        if not items:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({} KB){}',
            (
                (
                    reverse("complaints_staff:attachment", args=[a.pk]),
                    a.original_name,
                    max(1, a.size // 1024),
                    gettext(" · 보완 서류") if a.is_supplement else "",
                )
                for a in items
            ),
        )

    # --- Access log (AccessLoggedChangeView) -------------------------------------------
    def log_access(self, request, obj) -> None:
        record_access(request, [obj.pk], AccessAction.VIEW)

    # --- The desk: the complaint's page is the working screen --------------------------
    def get_urls(self):
        opts = self.model._meta
        desk = path(
            "<path:object_id>/desk/<str:key>/",
            self.admin_site.admin_view(self.desk_action_view),
            name=f"{opts.app_label}_{opts.model_name}_desk",
        )
        return [desk, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self._desk_context(request, obj, context))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _desk_context(self, request, obj, context) -> dict:
        now = timezone.now()
        member = staff_member_of(request.user)
        open_key = context.get("desk_open")
        actions = []
        for spec in desk.DESK_ACTIONS:
            if not desk.available(spec, obj, request.user, member):
                continue
            bound = context.get("desk_form") if spec.key == open_key else None
            form = bound if bound is not None else desk.make_form(spec, obj)
            data = bound.cleaned_data if bound is not None and bound.is_valid() else None
            legal_after, stage_after = desk.preview(spec, obj, now, data)
            label = spec.label
            if spec.key == "advance":
                label = desk.NEXT_STAGE_LABELS.get(obj.stage, spec.label)
            actions.append(
                {
                    "key": spec.key,
                    "label": label,
                    "form": form,
                    "open": spec.key == open_key,
                    "confirming": spec.key == open_key and context.get("desk_confirm"),
                    "legal_after": legal_after,
                    "stage_after": stage_after,
                }
            )
        return {
            "desk_actions": actions,
            "desk_history": desk.history(obj),
            "desk_stage": Stage(obj.stage).label,
            "desk_neighbours": self._neighbours(request, obj),
            "desk_now": now,
        }

    def _neighbours(self, request, obj) -> dict:
        """Previous and next open filing in this user's queue (its order), one query."""
        ids = list(
            self.get_queryset(request)
            .filter(stage__in=OPEN_STAGES)
            .values_list("pk", flat=True)[:QUEUE_WINDOW]
        )
        if obj.pk not in ids:
            return {}
        at = ids.index(obj.pk)
        return {
            "previous": ids[at - 1] if at > 0 else None,
            "next": ids[at + 1] if at + 1 < len(ids) else None,
        }

    def desk_action_view(self, request, object_id, key):
        """One action from the complaint's page: a refused or incomplete one shows the
        page again with what was typed and why; a form first shows the deadlines after,
        then acts on the confirmation."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        spec = desk.BY_KEY.get(key)
        if obj is None or spec is None:
            raise Http404
        change_url = reverse("admin:complaints_complaint_change", args=[obj.pk])
        if not desk.available(spec, obj, request.user, staff_member_of(request.user)):
            self.message_user(
                request, gettext("지금 이 민원에 할 수 없는 처리입니다."), messages.ERROR
            )
            return HttpResponseRedirect(change_url)
        form = desk.make_form(spec, obj, request.POST)
        data: dict = {}
        if form is not None:
            if not form.is_valid():
                return self._desk_again(request, object_id, key, form, confirm=False)
            if "confirm" not in request.POST:
                return self._desk_again(request, object_id, key, form, confirm=True)
            data = form.cleaned_data
        try:
            done = spec.run(obj, data, request.user, timezone.now())
        except services.TransitionRefused as exc:
            if form is None:
                self.message_user(request, exc.message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            form.add_error(spec.field, exc.message)
            return self._desk_again(request, object_id, key, form, confirm=False)
        message = f"{done.receipt_number}: {spec.done}"
        if done.due_at is not None and done.stage in OPEN_STAGES:
            when = timezone.localtime(done.due_at).strftime("%Y-%m-%d %H:%M")
            message += " " + gettext("처리기한: %(when)s") % {"when": when}
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _desk_again(self, request, object_id, key, form, *, confirm: bool):
        # Shown as a page, not saved as a change form: the record has none (every
        # change is a service), so the admin's view runs as for a GET.
        request.method = "GET"
        context = {"desk_open": key, "desk_form": form, "desk_confirm": confirm}
        return self.change_view(request, object_id, extra_context=context)

    # --- Actions (each calls a service) ----------------------------------------------
    def _run(self, request, queryset, call, done_message):
        now = timezone.now()
        done = 0
        for complaint in queryset:
            try:
                call(complaint, now)
            except services.TransitionRefused as exc:
                self.message_user(
                    request, f"{complaint.receipt_number}: {exc.message}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    def _with_form(self, request, queryset, form_class, action, title, call, done_message):
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                self._run(
                    request,
                    queryset,
                    lambda c, now: call(c, now, form.cleaned_data),
                    done_message,
                )
                return None
        else:
            form = form_class()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action": action,
        }
        return TemplateResponse(request, "complaints/staff/admin_action.html", context)

    @admin.action(description=_("나에게 배정"))
    def assign_to_me(self, request, queryset):
        member = staff_member_of(request.user)
        if member is None:
            self.message_user(
                request, gettext("직원 명부에 등록된 직원만 배정받을 수 있습니다."), messages.ERROR
            )
            return
        self._run(
            request,
            queryset,
            lambda c, now: services.assign(c, member, by=request.user, now=now),
            gettext("%(count)d건을 나에게 배정했습니다."),
        )

    @admin.action(description=_("다음 단계로"))
    def advance(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda c, now: services.advance(c, by=request.user, now=now),
            gettext("%(count)d건을 다음 단계로 옮겼습니다."),
        )

    @admin.action(description=_("보완 요청(기한 멈춤)"))
    def put_on_hold(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            HoldForm,
            "put_on_hold",
            gettext("보완 요청"),
            lambda c, now, data: services.put_on_hold(
                c,
                reason=data["reason"],
                answer_by=data["answer_by"],
                by=request.user,
                now=now,
            ),
            gettext("%(count)d건에 보완을 요청했습니다."),
        )

    @admin.action(description=_("처리 재개"))
    def resume(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda c, now: services.resume(c, by=request.user, now=now),
            gettext("%(count)d건의 처리를 재개했습니다."),
        )

    @admin.action(description=_("결과 통보(종결)"))
    def close_with_result(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            ResultForm,
            "close_with_result",
            gettext("결과 통보"),
            lambda c, now, data: services.close_with_result(
                c, result_text=data["result_text"], by=request.user, now=now
            ),
            gettext("%(count)d건의 결과를 통보했습니다."),
        )

    @admin.action(description=_("처리기간 연장"))
    def extend(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            ExtendForm,
            "extend",
            gettext("처리기간 연장"),
            lambda c, now, data: services.extend(
                c,
                days=data["days"],
                reason=data["reason"],
                consent=data["consent"],
                by=request.user,
                now=now,
            ),
            gettext("%(count)d건의 처리기간을 연장했습니다."),
        )

    @admin.action(description=_("다른 부서로 이송"))
    def transfer(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            TransferForm,
            "transfer",
            gettext("이송"),
            lambda c, now, data: services.transfer(
                c, data["department"], reason=data["reason"], by=request.user, now=now
            ),
            gettext("%(count)d건을 이송했습니다."),
        )

    @admin.action(description=_("다른 기관으로 이송"))
    def transfer_to_agency(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            AgencyTransferForm,
            "transfer_to_agency",
            gettext("다른 기관으로 이송"),
            lambda c, now, data: services.transfer_to_agency(
                c, data["agency"], reason=data["reason"], by=request.user, now=now
            ),
            gettext("%(count)d건을 다른 기관으로 이송했습니다."),
        )

    @admin.action(description=_("반려"))
    def refuse(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            RefuseForm,
            "refuse",
            gettext("반려"),
            lambda c, now, data: services.refuse(
                c, reason=data["reason"], by=request.user, now=now
            ),
            gettext("%(count)d건을 반려했습니다."),
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not super().has_change_permission(request):
            return {}
        return actions


@admin.register(ComplaintType)
class ComplaintTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "period_days",
        "handling_department",
        "accepts_online",
        "accepts_open311",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "accepts_online", "accepts_open311"]
    list_select_related = ["handling_department"]
    search_fields = ["name", "name_en", "code"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "complaint", "action", "ip_address"]
    list_filter = ["action"]
    list_select_related = ["user", "complaint"]
    show_full_result_count = False
    raw_id_fields = ["user", "complaint"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
