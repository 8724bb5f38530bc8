"""`python manage.py open311_key NAME`: issue an Open311 API key for a client.

The key is printed on the last line, and only now: the portal keeps its hash only.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from open311.services import issue_key


class Command(BaseCommand):
    help = "Issue an Open311 API key for a client and print it (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client's name, e.g. my-app")
        parser.add_argument("--contact", default="", help="Who to call about this client")

    def handle(self, *args, **options):
        try:
            key, raw = issue_key(options["name"], contact=options["contact"], now=timezone.now())
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Key {key.prefix}… for {key.name} (id {key.pk}), shown only this once:")
        self.stdout.write(raw)
