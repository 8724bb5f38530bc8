from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StaffDirectoryConfig(AppConfig):
    name = "staff_directory"
    verbose_name = _("직원 안내")

    def ready(self) -> None:
        from .roles import ensure_roles_after_migrate

        # No sender: every app's migrate creates its permissions first, then the role
        # groups pick up whatever their mapping names.
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="staff_directory.roles")

        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from .mfa import services as mfa
        from .mfa.forms import StaffSignInForm

        # Two-factor sign-in: the admin's login asks staff with an app for its code, and
        # each session remembers whether its user had one (staff_directory/mfa/).
        admin.site.login_form = StaffSignInForm
        user_logged_in.connect(mfa.remember_state, dispatch_uid="staff_directory.mfa")
