"""Erase personal data past retention, each app purging its own: closed filings and
their payouts, finished reception records (memos, pre-consultations, board posts,
commendations) and finished SMS and e-mail rows are anonymised; old access logs are
deleted. The cutoff is the filings' rule (``complaints.retention.filing_cutoff``).

Run once a day (cron or a beat entry); ``--dry-run`` only counts. One line per kind.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from compensation import retention as compensation_retention
from complaints import retention as complaints_retention
from notifications import retention as outbox_retention
from reception import retention as reception_retention


class Command(BaseCommand):
    help = (
        "Anonymise closed filings and their payouts, finished reception records and sent "
        "messages past retention and delete old personal-data access logs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        report = complaints_retention.purge(timezone.now(), dry_run=dry_run)
        cutoff = report.cutoff
        payouts = compensation_retention.purge(cutoff, dry_run=dry_run)
        reception = reception_retention.purge(cutoff, dry_run=dry_run)
        outbox = outbox_retention.purge(cutoff, dry_run=dry_run)
        anonymised = "would anonymise" if dry_run else "anonymised"
        erased = "would erase" if dry_run else "erased"
        deleted = "would delete" if dry_run else "deleted"
        before = f"{cutoff:%Y-%m-%d}"
        for line in (
            f"{anonymised} {report.complaints} filing(s) closed before {before} "
            f"({report.attachments} attachment(s)).",
            f"{erased} recipient and bank account of {payouts} payout(s) of filings closed "
            f"before {before}.",
            f"{anonymised} {reception.memos} phone/visit memo(s) closed before {before}.",
            f"{anonymised} {reception.consultations} pre-consultation(s) closed before {before}.",
            f"{anonymised} {reception.board_posts} board post(s) answered before {before} "
            f"({reception.board_attachments} attachment(s)).",
            f"{anonymised} {reception.commendations} commendation(s) decided before {before}.",
            f"{erased} recipient and text of {outbox.sms} SMS message(s) created before {before}.",
            f"{erased} recipient and text of {outbox.emails} e-mail(s) created before {before}.",
            f"{deleted} {report.access_logs} access log row(s) older than "
            f"{report.log_cutoff:%Y-%m-%d}.",
        ):
            self.stdout.write(line)
