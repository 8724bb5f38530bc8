from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "reception"
    verbose_name = _("민원 안내·접수 도구")

    def ready(self) -> None:
        from django.contrib import admin

        from staff_directory.roles import CLERK, MANAGER, VERIFIER, grant

        # Department work: clerks see and close their own department's memos,
        # consultations and board posts (the admin scopes the rows).
        work = (
            "view_memo",
            "change_memo",
            "view_consultation",
            "change_consultation",
            "view_boardpost",
            "change_boardpost",
            "view_boardsweep",
        )
        grant(CLERK, "reception", *work)
        grant(VERIFIER, "reception", *work)
        # Managers read everything and approve commendations.
        grant(MANAGER, "reception", "view_*", "change_commendation")

        # The owner sees their open memos first when they log in (V4 P3): the admin index
        # gains a "my open memos" block. An app that needs the index too should extend
        # reception/admin_index.html rather than replace it.
        if admin.site.index_template is None:
            admin.site.index_template = "reception/admin_index.html"
