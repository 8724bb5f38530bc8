from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompensationConfig(AppConfig):
    name = "compensation"
    verbose_name = _("보상")

    def ready(self) -> None:
        from staff_directory.roles import CLERK, MANAGER, VERIFIER, grant

        # Clerks propose payouts for their department's cases and read the rules;
        # managers edit rules, approve, reject and record payment (R6).
        for role in (CLERK, VERIFIER):
            grant(
                role,
                "compensation",
                "view_compensationrule",
                "view_payout",
                "add_payout",
                "view_trainingrecord",
            )
        grant(
            MANAGER,
            "compensation",
            "view_*",
            "change_compensationrule",
            "add_payout",
            "change_payout",
            "change_trainingrecord",
        )
