"""Admin building blocks shared by every app's admin (staff_directory is the lowest app
that has one, so each app above it may import them)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class SystemRecordAdmin(admin.ModelAdmin):
    """Rows the portal writes itself (sweep runs, API submissions, survey invitations):
    staff may look them up; nobody adds, edits or deletes them by hand."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
