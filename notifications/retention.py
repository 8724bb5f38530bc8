"""Retention of the outbox's personal data (개인정보 보호법 제21조).

Called by the ``purge_personal_data`` command with the cutoff ``complaints.retention``
computes: ``PERSONAL_DATA_RETENTION_YEARS`` counted from January 1 after the year a
message was created (a message is finished within days of its creation; retries and the
delivery report come soon after, so its creation year is its closing year).

Rows are kept, not deleted: the dashboard's O4 figures count SMS rows by ``created_at``
and ``status`` (total, sent, delivered, failed), so deleting them would empty O4 for
every past period. What goes is what names or reaches someone: the number or address,
the text (subject, body, HTML body) and the provider's error message, which may quote
the number. The template, language, status, attempts, segments, error code, provider id
and every date stay. Keys stay too (they name the record, ``complaint:12:receipt``, never
a person) so a repeated key still finds its row instead of sending again.

Only rows the worker is done with are touched: sent, delivered, undelivered and failed.
A queued or sending row is never touched, however old.

A row whose personal fields are all empty is erased already, so the purge is idempotent.
Work goes in batches of ``BATCH_SIZE`` ids: one SELECT and one UPDATE per batch, never
one query per row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import QuerySet

from notifications.models import EmailMessage, SmsMessage, Status

# The two concrete outbox models (OutboxMessage is abstract: its querysets have no ``id``).
OutboxModel = TypeVar("OutboxModel", SmsMessage, EmailMessage)

BATCH_SIZE = 500
# Everything past the worker: a SENT row waits only for a delivery report, and one
# older than the retention period will never get it.
DONE_STATUSES = (Status.SENT, Status.DELIVERED, Status.UNDELIVERED, Status.FAILED)


@dataclass
class OutboxPurge:
    """How many rows had their recipient and text erased (or would, in a dry run)."""

    sms: int = 0
    emails: int = 0


def due_sms(cutoff: datetime.datetime) -> QuerySet[SmsMessage]:
    return SmsMessage.objects.filter(status__in=DONE_STATUSES, created_at__lt=cutoff).exclude(
        to="", body="", error_message=""
    )


def due_emails(cutoff: datetime.datetime) -> QuerySet[EmailMessage]:
    return EmailMessage.objects.filter(status__in=DONE_STATUSES, created_at__lt=cutoff).exclude(
        to="", subject="", body="", html_body="", error_message=""
    )


def _erase(due: QuerySet[OutboxModel], dry_run: bool, **blank: str) -> int:
    """Blank ``blank`` on every row of ``due``, ``BATCH_SIZE`` rows at a time. The
    UPDATE repeats the due condition, so a row re-queued since the SELECT is left alone.
    Keyset paging (``id > last``) ends even if a row stays due after its update."""
    if dry_run:
        return due.count()
    erased, last = 0, 0
    while True:
        ids = list(due.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:BATCH_SIZE])
        if ids:
            erased += due.filter(id__in=ids).update(**blank)
        if len(ids) < BATCH_SIZE:
            return erased
        last = ids[-1]


def purge_sms(cutoff: datetime.datetime, *, dry_run: bool) -> int:
    """Erase the number, the text and the error message of finished SMS created before
    ``cutoff``."""
    return _erase(due_sms(cutoff), dry_run, to="", body="", error_message="")


def purge_emails(cutoff: datetime.datetime, *, dry_run: bool) -> int:
    """Erase the address, subject, text and error message of finished e-mails created
    before ``cutoff``."""
    return _erase(
        due_emails(cutoff), dry_run, to="", subject="", body="", html_body="", error_message=""
    )


def purge(cutoff: datetime.datetime, *, dry_run: bool) -> OutboxPurge:
    """Erase the recipients and texts of finished outbox rows created before ``cutoff``."""
    return OutboxPurge(
        sms=purge_sms(cutoff, dry_run=dry_run), emails=purge_emails(cutoff, dry_run=dry_run)
    )
