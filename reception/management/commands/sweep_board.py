"""Run the board sweep now (M2) and print what it routed."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reception import services


class Command(BaseCommand):
    help = "Route board posts not yet routed to their departments and notify the owners."

    def handle(self, *args, **options) -> None:
        result = services.sweep_board(now=timezone.now())
        if not result.routed:
            self.stdout.write("routed 0 posts")
            return
        self.stdout.write(f"routed {result.routed} posts")
        for department, count in result.per_department.items():
            self.stdout.write(f"  {department}: {count}")
