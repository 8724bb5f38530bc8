"""Retention of the outbox (개인정보 보호법 제21조): finished SMS and e-mail rows past
the retention period lose their recipient and text; the rows stay for the O4 figures;
queued and sending rows are never touched."""

from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from dashboard.periods import period_for
from dashboard.selectors import Scope, SmsFigures, summary
from notifications import retention
from notifications.models import EmailMessage, SmsMessage, Status

SEOUL = ZoneInfo("Asia/Seoul")
pytestmark = pytest.mark.django_db

CUTOFF = datetime(2023, 1, 1, tzinfo=SEOUL)
OLD = datetime(2022, 12, 31, 23, 0, tzinfo=SEOUL)
RECENT = datetime(2023, 1, 1, 0, 30, tzinfo=SEOUL)
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SEOUL)
_keys = count()


def sms(status=Status.DELIVERED, created_at=OLD, **extra) -> SmsMessage:
    return SmsMessage.objects.create(
        key=f"complaint:{next(_keys)}:receipt",
        to="+821098765432",
        body="[연천군] 홍길동 님의 민원이 접수되었습니다.",
        template="complaints/received",
        status=status,
        created_at=created_at,
        next_attempt_at=created_at,
        provider_id="SM" + "0" * 32 if status != Status.QUEUED else "",
        error_message="The 'To' number +821098765432 is not valid"
        if status == Status.FAILED
        else "",
        error_code="21211" if status == Status.FAILED else "",
        **extra,
    )


def email(status=Status.DELIVERED, created_at=OLD) -> EmailMessage:
    return EmailMessage.objects.create(
        key=f"complaint:{next(_keys)}:result-email",
        to="hong@example.com",
        subject="홍길동 님, 민원 처리 결과",
        body="홍길동 님, 연천읍 123 앞 도로를 보수했습니다.",
        html_body="<p>홍길동 님</p>",
        template="complaints/result",
        status=status,
        created_at=created_at,
        next_attempt_at=created_at,
    )


def o4(now=NOW) -> SmsFigures | None:
    period = period_for("custom", now, date(2019, 1, 1), date(2026, 12, 31))
    return summary(Scope(period, None, now)).sms


def test_finished_sms_past_retention_lose_number_text_and_error_message():
    finished = [sms(status) for status in (Status.SENT, Status.DELIVERED, Status.UNDELIVERED)]
    failed = sms(Status.FAILED, attempts=1, completed_attempts=1)

    assert retention.purge_sms(CUTOFF, dry_run=False) == 4

    for row in [*finished, failed]:
        row.refresh_from_db()
        assert (row.to, row.body, row.error_message) == ("", "", "")
        assert row.template == "complaints/received" and row.created_at == OLD
    failed.refresh_from_db()
    assert (failed.status, failed.error_code, failed.attempts) == (Status.FAILED, "21211", 1)
    assert failed.key.startswith("complaint:")


def test_queued_sending_and_recent_sms_keep_everything():
    kept = [
        sms(Status.QUEUED),
        sms(Status.SENDING),
        sms(Status.QUEUED, created_at=datetime(2019, 1, 1, tzinfo=SEOUL)),
        sms(Status.DELIVERED, created_at=RECENT),
        sms(Status.FAILED, created_at=RECENT),
    ]

    assert retention.purge_sms(CUTOFF, dry_run=False) == 0

    for row in kept:
        row.refresh_from_db()
        assert row.to == "+821098765432" and row.body.startswith("[연천군]")


def test_finished_emails_past_retention_lose_address_subject_and_bodies():
    old = email(Status.DELIVERED)
    failed = email(Status.FAILED)
    queued = email(Status.QUEUED)
    recent = email(Status.DELIVERED, created_at=RECENT)

    assert retention.purge_emails(CUTOFF, dry_run=False) == 2

    for row in (old, failed):
        row.refresh_from_db()
        assert (row.to, row.subject, row.body, row.html_body) == ("", "", "", "")
    for row in (queued, recent):
        row.refresh_from_db()
        assert row.to == "hong@example.com" and row.subject


def test_rows_stay_so_the_O4_figures_do_not_move():
    for status in Status.values:
        sms(status)
        sms(status, created_at=RECENT)
    before = o4()

    retention.purge(CUTOFF, dry_run=False)

    assert SmsMessage.objects.count() == 2 * len(Status.values)
    assert o4() == before
    assert before is not None and (before.total, before.failed) == (12, 4)


def test_purge_is_idempotent():
    sms(Status.DELIVERED)
    email(Status.DELIVERED)
    assert retention.purge(CUTOFF, dry_run=False) == retention.OutboxPurge(sms=1, emails=1)
    assert retention.purge(CUTOFF, dry_run=False) == retention.OutboxPurge()
    assert retention.purge(CUTOFF, dry_run=True) == retention.OutboxPurge()


def test_dry_run_counts_and_changes_nothing():
    sms(Status.DELIVERED)
    sms(Status.QUEUED)
    email(Status.FAILED)
    snapshot = (list(SmsMessage.objects.values()), list(EmailMessage.objects.values()))

    assert retention.purge(CUTOFF, dry_run=True) == retention.OutboxPurge(sms=1, emails=1)

    assert (list(SmsMessage.objects.values()), list(EmailMessage.objects.values())) == snapshot


@pytest.mark.parametrize("rows", [3, 30])
def test_purge_runs_a_fixed_number_of_queries_whatever_the_rows(
    rows, django_assert_max_num_queries
):
    for _ in range(rows):
        sms(Status.DELIVERED)
        email(Status.DELIVERED)
    # Per table one short batch: a SELECT of the ids and one UPDATE.
    with django_assert_max_num_queries(4):
        report = retention.purge(CUTOFF, dry_run=False)
    assert report == retention.OutboxPurge(sms=rows, emails=rows)


def test_purge_pages_through_more_rows_than_a_batch(monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    for _ in range(5):
        sms(Status.DELIVERED)
    assert retention.purge_sms(CUTOFF, dry_run=False) == 5
    assert not SmsMessage.objects.exclude(to="").exists()
