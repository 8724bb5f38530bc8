from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("민원")

    def ready(self) -> None:
        # The deadline clock counts legal periods with the public holidays and the stage
        # budgets also with the county's closures (L8), and every process learns
        # of a closure change through the shared cache (see complaints/calendar.py).
        from django.db.models.signals import post_delete, post_save

        from . import deadlines
        from .calendar import closures_changed, current_calendar, legal_calendar
        from .models import Closure

        deadlines.register_calendar_provider(current_calendar)
        deadlines.register_calendar_provider(legal_calendar, legal=True)

        # Managers keep the list of agencies (L3); clerks print and post letters (L7).
        from staff_directory.roles import CLERK, MANAGER, VERIFIER, grant

        grant(MANAGER, "complaints", "add_agency", "change_agency")
        for role in (CLERK, VERIFIER):
            grant(role, "complaints", "view_letter", "change_letter")
        post_save.connect(closures_changed, sender=Closure, dispatch_uid="closure-saved")
        post_delete.connect(closures_changed, sender=Closure, dispatch_uid="closure-deleted")

        # The admin home is the clerk's desk; it extends reception's index (the memos).
        from django.contrib import admin

        admin.site.index_template = "complaints/admin/index.html"
