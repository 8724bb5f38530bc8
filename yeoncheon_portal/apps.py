from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "yeoncheon_portal"
    verbose_name = "연천군 민원 포털"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        import pagecache
        import yeoncheon_portal.checks  # noqa: F401  (registers the system checks)

        from .middleware import StaffIdleTimeoutMiddleware

        pagecache.connect_signals()
        user_logged_in.connect(
            StaffIdleTimeoutMiddleware.mark_signed_in, dispatch_uid="staff-idle-sign-in"
        )
