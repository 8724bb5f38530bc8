from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("관리자 현황판")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from dashboard.expressions import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="dashboard_sqlite")
