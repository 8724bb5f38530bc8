"""Retention of personal data: closed filings and their payouts anonymised, old access
logs deleted, and the project command that runs every app's purge (the reception and
outbox purges have their own tests in tests/reception/test_retention.py and
tests/notifications/test_retention.py)."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from complaints import retention
from complaints.models import AccessAction, AccessLog, Attachment, Complaint, Stage, StageEvent
from notifications.models import SmsMessage, Status
from reception.models import CallbackState, Consultation
from tests.complaints.factories import file_one

SEOUL = ZoneInfo("Asia/Seoul")
pytestmark = pytest.mark.django_db


def _closed(road_type, closed_at, **overrides):
    complaint = file_one(road_type, **overrides)
    Complaint.objects.filter(pk=complaint.pk).update(
        stage=Stage.NOTIFIED, closed_at=closed_at, result_text="홍길동 님 댁 앞 보수 완료"
    )
    StageEvent.objects.filter(complaint=complaint).update(note="010-1234-5678로 통화")
    return Complaint.objects.get(pk=complaint.pk)


def test_cutoff_is_january_first_after_closing_plus_retention(settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 3
    now = datetime(2026, 11, 26, 9, 0, tzinfo=SEOUL)
    assert retention.filing_cutoff(now) == datetime(2023, 1, 1, tzinfo=SEOUL)
    # Access logs: at least two years whatever the setting says.
    settings.ACCESS_LOG_RETENTION_YEARS = 1
    assert retention.log_cutoff(now) == datetime(2024, 11, 26, 9, 0, tzinfo=SEOUL)


def test_purge_anonymises_old_closed_filings_and_keeps_statistics(
    road_type, roads_clerk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.PERSONAL_DATA_RETENTION_YEARS = 3
    old = _closed(road_type, datetime(2022, 12, 31, 23, 0, tzinfo=SEOUL))
    recent = _closed(road_type, datetime(2023, 1, 1, 0, 30, tzinfo=SEOUL))
    still_open = file_one(road_type)
    Complaint.objects.filter(pk=still_open.pk).update(
        received_at=datetime(2021, 5, 1, tzinfo=SEOUL)
    )
    attachment = Attachment.objects.create(
        complaint=old,
        file="attachments/old.txt",
        original_name="홍길동 주민등록등본.txt",
        extension="txt",
        content_type="text/plain",
        size=3,
        uploaded_at=old.received_at,
    )
    (tmp_path / "private").mkdir(exist_ok=True)
    before = Complaint.objects.values("stage", "department_id", "complaint_type_id", "kind")
    before = {row["stage"] for row in before}

    with time_machine.travel(datetime(2026, 1, 2, 9, 0, tzinfo=SEOUL), tick=False):
        out = StringIO()
        call_command("purge_personal_data", stdout=out)

    assert "anonymised 1 filing(s)" in out.getvalue()
    old.refresh_from_db()
    assert (old.complainant_name, old.phone, old.email, old.address, old.content) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert old.title == retention.ANONYMISED_TITLE
    assert old.anonymised_at == datetime(2026, 1, 2, 9, 0, tzinfo=SEOUL)
    assert old.result_text == ""
    assert old.stage == Stage.NOTIFIED and old.closed_at is not None
    assert old.department_id is not None and old.complaint_type_id == road_type.pk
    assert not StageEvent.objects.filter(complaint=old).exclude(note="").exists()
    assert StageEvent.objects.filter(complaint=old).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    # The others keep everything.
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.complainant_name == "홍길동" and recent.phone
    assert recent.anonymised_at is None
    assert still_open.complainant_name == "홍길동"
    assert {row["stage"] for row in Complaint.objects.values("stage")} == before


def test_dry_run_counts_and_changes_nothing(road_type, roads_clerk):
    old = _closed(road_type, datetime(2020, 6, 1, tzinfo=SEOUL))
    with time_machine.travel(datetime(2026, 11, 26, 9, 0, tzinfo=SEOUL), tick=False):
        out = StringIO()
        call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "would anonymise 1 filing(s)" in out.getvalue()
    old.refresh_from_db()
    assert old.complainant_name == "홍길동"


def test_purge_is_idempotent_and_bounded_in_queries(
    road_type, roads_clerk, django_assert_max_num_queries
):
    for _ in range(5):
        _closed(road_type, datetime(2020, 6, 1, tzinfo=SEOUL))
    now = datetime(2026, 11, 26, 9, 0, tzinfo=SEOUL)
    # One batch: select ids, attachments, update, notes, attachments delete, then the
    # empty select, and the log loop; savepoints besides. No query per row.
    with django_assert_max_num_queries(10):
        report = retention.purge(now)
    assert report.complaints == 5
    assert retention.purge(now).complaints == 0


def test_purge_deletes_access_logs_older_than_two_years(roads_complaint, roads_clerk):
    def log(at):
        return AccessLog.objects.create(
            user=roads_clerk, complaint=roads_complaint, at=at, action=AccessAction.VIEW
        )

    old = log(datetime(2024, 11, 25, 9, 0, tzinfo=SEOUL))
    kept = log(datetime(2024, 11, 27, 9, 0, tzinfo=SEOUL))
    with time_machine.travel(datetime(2026, 11, 26, 9, 0, tzinfo=SEOUL), tick=False):
        out = StringIO()
        call_command("purge_personal_data", stdout=out)
    assert "deleted 1 access log row(s)" in out.getvalue()
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.filter(pk=kept.pk).exists()


def _reception_and_outbox_rows(department, closed_at):
    consultation = Consultation.objects.create(
        name="홍길동",
        phone="+821098765432",
        description="상담 내용",
        department=department,
        created_at=closed_at,
        callback_state=CallbackState.DONE,
        closed_at=closed_at,
    )
    sms = SmsMessage.objects.create(
        key=f"reception:consult:{consultation.pk}:citizen",
        to="+821098765432",
        body="[연천군] 상담 신청이 접수되었습니다.",
        template="reception/consult_received",
        status=Status.DELIVERED,
        created_at=closed_at,
    )
    return consultation, sms


def test_command_purges_reception_and_outbox_too_one_line_per_kind(roads, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 3
    old_consultation, old_sms = _reception_and_outbox_rows(
        roads, datetime(2022, 12, 31, 23, 0, tzinfo=SEOUL)
    )
    recent_consultation, recent_sms = _reception_and_outbox_rows(
        roads, datetime(2023, 1, 1, 0, 30, tzinfo=SEOUL)
    )

    with time_machine.travel(datetime(2026, 1, 2, 9, 0, tzinfo=SEOUL), tick=False):
        out = StringIO()
        call_command("purge_personal_data", "--dry-run", stdout=out)
        dry = out.getvalue()
        assert "would anonymise 1 pre-consultation(s) closed before 2023-01-01." in dry
        assert "would erase recipient and text of 1 SMS message(s)" in dry
        old_consultation.refresh_from_db()
        assert old_consultation.name == "홍길동"

        out = StringIO()
        call_command("purge_personal_data", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 9
    assert lines[0].startswith("anonymised 0 filing(s) closed before 2023-01-01")
    assert "anonymised 0 phone/visit memo(s) closed before 2023-01-01." in lines
    assert "anonymised 1 pre-consultation(s) closed before 2023-01-01." in lines
    assert "anonymised 0 board post(s) answered before 2023-01-01 (0 attachment(s))." in lines
    assert "anonymised 0 commendation(s) decided before 2023-01-01." in lines
    assert "erased recipient and text of 1 SMS message(s) created before 2023-01-01." in lines
    assert "erased recipient and text of 0 e-mail(s) created before 2023-01-01." in lines
    assert lines[-1].startswith("deleted 0 access log row(s)")
    for row in (old_consultation, old_sms, recent_consultation, recent_sms):
        row.refresh_from_db()
    assert (old_consultation.name, old_sms.to, old_sms.body) == ("", "", "")
    assert (recent_consultation.name, recent_sms.to) == ("홍길동", "+821098765432")


def test_a_filing_titled_like_an_anonymised_one_is_still_purged(road_type, roads_clerk):
    """Only ``anonymised_at`` marks an anonymised filing, not its title."""
    old = _closed(road_type, datetime(2020, 6, 1, tzinfo=SEOUL), title=retention.ANONYMISED_TITLE)
    Complaint.objects.filter(pk=old.pk).update(complainant_name="")
    now = datetime(2026, 11, 26, 9, 0, tzinfo=SEOUL)
    assert retention.purge(now).complaints == 1
    old.refresh_from_db()
    assert (old.phone, old.content, old.anonymised_at) == ("", "", now)


def test_payout_of_a_filing_past_retention_loses_recipient_and_account(
    roads_complaint, payout, settings
):
    settings.PERSONAL_DATA_RETENTION_YEARS = 3
    Complaint.objects.filter(pk=roads_complaint.pk).update(
        stage=Stage.NOTIFIED, closed_at=datetime(2022, 12, 31, 23, 0, tzinfo=SEOUL)
    )
    with time_machine.travel(datetime(2026, 1, 2, 9, 0, tzinfo=SEOUL), tick=False):
        out = StringIO()
        call_command("purge_personal_data", "--dry-run", stdout=out)
        assert "would erase recipient and bank account of 1 payout(s)" in out.getvalue()
        out = StringIO()
        call_command("purge_personal_data", stdout=out)
        assert "erased recipient and bank account of 1 payout(s)" in out.getvalue()
        out = StringIO()
        call_command("purge_personal_data", stdout=out)
        assert "erased recipient and bank account of 0 payout(s)" in out.getvalue()
    amount = payout.amount
    payout.refresh_from_db()
    assert (payout.recipient_name, payout.recipient_phone, payout.bank_account) == ("", "", "")
    assert payout.amount == amount
