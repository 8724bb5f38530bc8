"""Admin of the surveys app (S1): campaigns and their questions, results per
department and question, follow-up actions (사후관리) tracked until done."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staff_directory.admin_base import SystemRecordAdmin
from staff_directory.roles import is_manager, scoped_to_department

from . import services
from .models import FollowUpAction, FollowUpState, Question, Survey, SurveyInvitation


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ["order", "text", "text_en", "kind", "topic", "required"]


class OpenFollowUpsForm(forms.Form):
    due_on = forms.DateField(
        label=gettext_lazy("조치 기한"), widget=forms.DateInput(attrs={"type": "date"})
    )


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "slug",
        "starts_on",
        "ends_on",
        "threshold",
        "is_active",
        "links",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None) -> bool:
        return is_manager(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return is_manager(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("결과"))
    def links(self, obj: Survey) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:surveys_survey_results", args=[obj.pk]), _("결과")
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/results/", wrap(self.results_view), name="surveys_survey_results"),
            *super().get_urls(),
        ]

    def results_view(self, request, pk: int):
        if not is_manager(request.user):
            raise PermissionDenied
        survey = get_object_or_404(Survey, pk=pk)
        now = timezone.now()
        form = OpenFollowUpsForm(
            request.POST or None,
            initial={"due_on": timezone.localdate(now) + timedelta(days=30)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                created = services.open_follow_ups(
                    survey, by=request.user, now=now, due_on=form.cleaned_data["due_on"]
                )
            except services.SurveyError as exc:
                form.add_error("due_on", str(exc))
            else:
                self.message_user(
                    request,
                    _("후속 조치 %(count)s건을 만들었습니다.") % {"count": len(created)},
                    messages.SUCCESS,
                )
                return redirect("admin:surveys_survey_results", pk=survey.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(title)s 결과") % {"title": survey.display_title},
            "opts": self.model._meta,
            "survey": survey,
            "rows": services.survey_results(survey),
            "form": form,
            "follow_ups": survey.follow_ups.select_related("question", "department", "owner"),
        }
        return TemplateResponse(request, "admin/surveys/survey/results.html", context)


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUpAction
        fields = ["owner", "due_on", "note"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(admin.ModelAdmin):
    form = FollowUpForm
    list_display = [
        "department",
        "question",
        "average",
        "owner",
        "due_on",
        "overdue",
        "state",
        "done_at",
    ]
    list_filter = ["state", "survey", "department"]
    list_select_related = ["department", "question", "owner"]
    raw_id_fields = ["owner"]
    show_full_result_count = False
    actions = ["complete_selected"]

    def get_queryset(self, request):
        return scoped_to_department(super().get_queryset(request), request.user)

    @admin.display(description=gettext_lazy("기한 경과"), boolean=True)
    def overdue(self, obj: FollowUpAction) -> bool:
        return obj.is_overdue(timezone.localdate())

    def has_add_permission(self, request) -> bool:
        return False  # made from a survey's results (services.open_follow_ups)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        fixed = ["survey", "question", "department", "average", "answers", "state"]
        fixed += ["created_at", "created_by", "done_at", "done_by"]
        if not is_manager(request.user):
            fixed += ["owner", "due_on"]
        return fixed

    def get_fields(self, request, obj=None):
        return [
            "survey",
            "question",
            "department",
            "average",
            "answers",
            "owner",
            "due_on",
            "note",
            "state",
            "created_at",
            "created_by",
            "done_at",
            "done_by",
        ]

    def save_model(self, request, obj, form, change) -> None:
        changes = {}
        if is_manager(request.user):
            changes = {"owner": form.cleaned_data["owner"], "due_on": form.cleaned_data["due_on"]}
        services.update_follow_up(
            FollowUpAction.objects.get(pk=obj.pk),
            by=request.user,
            now=timezone.now(),
            note=form.cleaned_data.get("note", ""),
            **changes,
        )

    @admin.action(description=gettext_lazy("선택한 후속 조치 완료 처리"))
    def complete_selected(self, request, queryset):
        now = timezone.now()
        done = 0
        for action in queryset.filter(state=FollowUpState.OPEN):
            try:
                services.complete_follow_up(action, by=request.user, now=now, note="")
            except (services.SurveyError, PermissionDenied) as exc:
                self.message_user(request, f"{action}: {exc}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)s건을 완료로 기록했습니다.") % {"count": done}, messages.SUCCESS
            )


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(SystemRecordAdmin):
    list_display = ["complaint", "department", "created_at", "expires_at", "used_at"]
    list_filter = ["department"]
    list_select_related = ["complaint", "department"]
    fields = ["complaint", "survey", "department", "created_at", "expires_at", "used_at"]
    readonly_fields = fields
