from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "yeoncheon_portal"
    verbose_name = "연천군 민원 포털"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            pagecache,
        )

        pagecache.connect_signals()
