from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffDirectoryConfig(AppConfig):
    name = "staff_directory"
    verbose_name = _("직원 안내")
