from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "open311"
    verbose_name = _("Open311 API")

    def ready(self) -> None:
        from staff_directory.roles import MANAGER, grant

        # Managers issue and revoke the API keys of outside apps and the call centre.
        grant(MANAGER, "open311", "view_*", "add_apikey", "change_apikey")
