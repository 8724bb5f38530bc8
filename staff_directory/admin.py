"""The directory in the admin: managers edit departments and staff, clerks their own."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms import StaffMemberAdminForm
from .mfa import admin as mfa_admin
from .models import Department, StaffMember
from .roles import department_of, is_manager


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "floor", "main_phone", "is_lead", "order"]
    list_editable = ["order"]
    list_filter = ["is_lead", "floor"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    form = StaffMemberAdminForm
    list_display = [
        "name",
        "title",
        "department",
        "direct_line",
        "presence",
        "substitute",
        "greeting",
        "is_active",
    ]
    list_select_related = ["department", "substitute", "user"]
    list_filter = ["department", "presence", "is_active", "is_head"]
    search_fields = [
        "name",
        "name_en",
        "duties",
        "duties_en",
        "direct_line",
        "department__name",
        "department__name_en",
    ]
    autocomplete_fields = ["substitute", "user"]
    show_full_result_count = False
    fieldsets = [
        (
            None,
            {"fields": ["department", "user", "name", "name_en", "title", "title_en", "is_head"]},
        ),
        (
            _("담당 업무와 연락처"),
            {"fields": ["duties", "duties_en", "direct_line", "email", "mobile"]},
        ),
        (_("사진과 좌석"), {"fields": ["photo", "desk_row", "desk_column"]}),
        (
            _("근무 상태"),
            {"fields": ["presence", "presence_until", "presence_note", "substitute"]},
        ),
        (None, {"fields": ["is_active"]}),
    ]

    @admin.display(description=_("전화 인사말"))
    def greeting(self, obj: StaffMember) -> str:
        """P2: the line a clerk answers the phone with."""
        return obj.greeting_line

    def _scoped(self, request) -> bool:
        return not (request.user.is_superuser or is_manager(request.user))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._scoped(request):
            # Clerks and verifiers see their own department only.
            department = department_of(request.user)
            if department is None:
                return queryset.none()
            queryset = queryset.filter(department=department)
        return queryset

    def get_readonly_fields(self, request, obj=None):
        if self._scoped(request):
            return ["department", "user", "is_head", "is_active"]
        return []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "substitute" and self._scoped(request):
            department = department_of(request.user)
            kwargs["queryset"] = StaffMember.objects.filter(department=department)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Authenticator apps: administrators remove a lost phone's app (staff_directory/mfa/).
mfa_admin.register(admin.site)
