"""Anonymise closed filings past retention and delete old access logs.

Run once a day (cron or a beat entry); ``--dry-run`` only counts.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from complaints import retention


class Command(BaseCommand):
    help = "Anonymise closed filings past retention and delete old personal-data access logs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        report = retention.purge(timezone.now(), dry_run=dry_run)
        verb = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(
            f"{verb} {report.complaints} filing(s) closed before "
            f"{report.cutoff:%Y-%m-%d} ({report.attachments} attachment(s)); "
            f"{'would delete' if dry_run else 'deleted'} {report.access_logs} access log row(s) "
            f"older than {report.log_cutoff:%Y-%m-%d}."
        )
