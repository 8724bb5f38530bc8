"""Retention of personal data (개인정보 보호법 제21조: destroy what is no longer needed).

A closed filing keeps its personal data for ``PERSONAL_DATA_RETENTION_YEARS`` counted
from January 1 after the year it closed (the county's records schedule counts whole
years). After that the filing is anonymised: who filed, how to reach them, what they
wrote and what they attached are erased; the statistics stay (kind, type, channel,
department, stage, every date and the stage history without its notes).

An anonymised filing carries ``anonymised_at`` (its title reads ``ANONYMISED_TITLE``
for the screens); the purge skips it, so it is idempotent.

Other apps purge their own personal data with the same cutoff, each in its own
``retention`` module; ``manage.py purge_personal_data`` (in the project package) calls
them all. Survey invitations and responses hold no name, number or address (the
invitation reaches the citizen through the outbox and points at the filing, which is
anonymised here), so the surveys app has nothing to purge.

Personal-data access logs (``AccessLog``) are kept ``ACCESS_LOG_RETENTION_YEARS`` (never
less than two, 개인정보의 안전성 확보조치 기준 제8조) and then deleted.

Everything runs in batches of ``BATCH_SIZE`` ids: a fixed number of queries per batch,
never one per row (attachment files are removed one by one, as storage requires).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complaints.models import AccessLog, Attachment, Complaint, StageEvent
from complaints.models.complaint import CLOSED_STAGES

ANONYMISED_TITLE = "(보존기간 경과로 개인정보 삭제)"
BATCH_SIZE = 500


@dataclass
class PurgeReport:
    cutoff: datetime.datetime
    log_cutoff: datetime.datetime
    complaints: int = 0
    attachments: int = 0
    access_logs: int = 0
    dry_run: bool = False


def retention_years() -> int:
    return settings.PERSONAL_DATA_RETENTION_YEARS


def access_log_years() -> int:
    return max(2, settings.ACCESS_LOG_RETENTION_YEARS)


def _years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # February 29 in a year without one
        return moment.replace(year=moment.year - years, day=28)


def filing_cutoff(now: datetime.datetime, years: int | None = None) -> datetime.datetime:
    """Filings closed before this moment are past retention.

    Closed in year Y → kept until January 1 of Y + 1 + years (local time). So at ``now``
    every filing closed before January 1 of ``now.year - years`` is due.
    """
    years = retention_years() if years is None else years
    local = timezone.localtime(now)
    return datetime.datetime(local.year - years, 1, 1, tzinfo=timezone.get_current_timezone())


def log_cutoff(now: datetime.datetime, years: int | None = None) -> datetime.datetime:
    return _years_before(now, access_log_years() if years is None else max(2, years))


def due_filings(now: datetime.datetime):
    """Closed filings past retention that still carry personal data."""
    return Complaint.objects.filter(
        stage__in=CLOSED_STAGES,
        closed_at__lt=filing_cutoff(now),
        anonymised_at__isnull=True,
    )


def _anonymise_batch(ids: list[int], now: datetime.datetime) -> int:
    attachments = list(Attachment.objects.filter(complaint_id__in=ids).only("id", "file"))
    with transaction.atomic():
        Complaint.objects.filter(id__in=ids).update(
            complainant_name="",
            phone="",
            email="",
            address="",
            title=ANONYMISED_TITLE,
            content="",
            location_text="",
            result_text="",
            refusal_reason="",
            hold_reason="",
            extension_reason="",
            sms_consent=False,
            anonymised_at=now,
        )
        StageEvent.objects.filter(complaint_id__in=ids).exclude(note="").update(note="")
        Attachment.objects.filter(id__in=[a.id for a in attachments]).delete()
    # Files go after the rows are gone: a failed removal leaves an orphan file that a
    # later run of the storage sweep finds, never a row pointing at nothing.
    for attachment in attachments:
        name = attachment.file.name  # a FieldFile is true when it has a name
        if name:
            attachment.file.storage.delete(name)
    return len(attachments)


def purge(now: datetime.datetime, *, dry_run: bool = False) -> PurgeReport:
    """Anonymise filings past retention and delete access logs past theirs."""
    report = PurgeReport(cutoff=filing_cutoff(now), log_cutoff=log_cutoff(now), dry_run=dry_run)
    due = due_filings(now)
    old_logs = AccessLog.objects.filter(at__lt=report.log_cutoff)
    if dry_run:
        report.complaints = due.count()
        report.attachments = Attachment.objects.filter(complaint__in=due).count()
        report.access_logs = old_logs.count()
        return report
    while True:
        ids = list(due.order_by("id").values_list("id", flat=True)[:BATCH_SIZE])
        if not ids:
            break
        report.attachments += _anonymise_batch(ids, now)
        report.complaints += len(ids)
    while True:
        log_ids = list(old_logs.order_by("id").values_list("id", flat=True)[:BATCH_SIZE])
        if not log_ids:
            break
        report.access_logs += AccessLog.objects.filter(id__in=log_ids).delete()[0]
    return report
