from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("민원")

    def ready(self) -> None:
        # The deadline clock counts with the county's closures, and every process learns
        # of a closure change through the shared cache (see complaints/calendar.py).
        from django.db.models.signals import post_delete, post_save

        from . import deadlines
        from .calendar import closures_changed, current_calendar
        from .models import Closure

        deadlines.register_calendar_provider(current_calendar)
        post_save.connect(closures_changed, sender=Closure, dispatch_uid="closure-saved")
        post_delete.connect(closures_changed, sender=Closure, dispatch_uid="closure-deleted")
