from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("고객만족도 조사")

    def ready(self) -> None:
        from staff_directory.roles import CLERK, MANAGER, VERIFIER, grant

        # Managers define campaigns and assign follow-up actions; a clerk reads and
        # completes the follow-up actions of their own department (S1 사후관리).
        for role in (CLERK, VERIFIER):
            grant(role, "surveys", "view_followupaction", "change_followupaction")
        grant(
            MANAGER,
            "surveys",
            "view_*",
            "add_survey",
            "change_survey",
            "add_question",
            "change_question",
            "delete_question",
            "add_followupaction",
            "change_followupaction",
        )
