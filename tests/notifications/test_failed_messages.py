"""Failed messages (O4): the final state says in plain words that nothing was sent, the
filing's owners see its failed notices on its admin page, and managers can retry."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import services
from complaints.models import Stage
from notifications.models import EmailMessage, SmsMessage, Status
from tests.complaints.factories import NOW, ComplaintTypeFactory, file_one

pytestmark = pytest.mark.django_db


def _sms(status: str, code: str, attempts: int, key: str = "k") -> SmsMessage:
    return SmsMessage.objects.create(
        key=key,
        to="+821012345678",
        body="본문",
        template="complaints/receipt",
        status=status,
        attempts=attempts,
        error_code=code,
    )


@pytest.mark.parametrize("code", ["20429", "timeout", "connection", "server"])
def test_O4_a_retried_message_says_it_will_be_sent_again(code):
    assert "다시 보냅니다" in _sms(Status.QUEUED, code, 2).error_text()


@pytest.mark.parametrize("code", ["20429", "timeout", "connection", "server"])
def test_O4_after_the_last_attempt_the_error_says_it_was_not_sent(code):
    text = _sms(Status.FAILED, code, 6).error_text()
    assert "다시 보냅니다" not in text
    assert "보내지 못했습니다" in text and "6번 시도했습니다" in text
    with translation.override("en"):
        english = _sms(Status.FAILED, code, 1, key="en").error_text()
    assert "again shortly" not in english and "will be sent again" not in english
    assert english.startswith("Not sent: ") and "Tried once." in english


def test_O4_a_failed_email_after_the_last_attempt_says_so():
    mail = EmailMessage.objects.create(
        key="m",
        to="a@example.kr",
        subject="s",
        body="b",
        template="t",
        status=Status.FAILED,
        attempts=6,
        error_code="smtp",
    )
    assert mail.error_text().startswith("메일 서버 오류로 보내지 못했습니다.")


@pytest.fixture
def failed_filing(roads, lead_department, roads_clerk):
    ctype = ComplaintTypeFactory(
        code="f-road", period_days=7, handling_department=roads, lead_department=lead_department
    )
    complaint = file_one(ctype)
    receipt = SmsMessage.objects.get(key=f"complaint:{complaint.pk}:receipt")
    SmsMessage.objects.filter(pk=receipt.pk).update(
        status=Status.FAILED, attempts=6, error_code="timeout"
    )
    _sms(Status.FAILED, "21211", 1, key="complaint:999999:receipt")  # another filing's
    return complaint, receipt


def _page(client, complaint) -> str:
    response = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_O4_owner_sees_the_filings_failed_messages_on_its_page(
    failed_filing, roads_clerk, client_for
):
    complaint, _receipt = failed_filing
    page = _page(client_for(roads_clerk), complaint)
    assert "보내지 못한 알림" in page
    assert "010-****-5678 · 발송 실패" in page
    assert "문자 발송 업체가 제때 응답하지 않아 보내지 못했습니다." in page
    assert "전화번호가 올바르지 않습니다." not in page  # another filing's failure
    assert "다시 보내기" not in page  # a clerk cannot retry


def test_O4_verifier_sees_them_while_verifying(failed_filing, roads_clerk, verifier, client_for):
    complaint, _receipt = failed_filing
    complaint = services.assign(complaint, roads_clerk.staff_member, by=roads_clerk, now=NOW)
    complaint = services.advance(complaint, by=roads_clerk, now=NOW + timedelta(hours=1))
    complaint = services.advance(complaint, by=roads_clerk, now=NOW + timedelta(hours=2))
    assert complaint.stage == Stage.VERIFYING
    assert "보내지 못했습니다" in _page(client_for(verifier), complaint)


def test_O4_a_filing_without_failures_says_none(roads, lead_department, roads_clerk, client_for):
    ctype = ComplaintTypeFactory(
        code="f-ok", period_days=7, handling_department=roads, lead_department=lead_department
    )
    page = _page(client_for(roads_clerk), file_one(ctype))
    assert "보내지 못한 알림" in page and "없습니다." in page


def test_O4_manager_retries_from_the_filings_page(
    failed_filing, manager, client_for, django_capture_on_commit_callbacks
):
    complaint, receipt = failed_filing
    client = client_for(manager)
    page = _page(client, complaint)
    link = reverse("admin:notifications_smsmessage_changelist")
    assert f'href="{link}?key__startswith=complaint%3A{complaint.pk}%3A&amp;failed=yes"' in page
    listing = client.get(link, {"key__startswith": f"complaint:{complaint.pk}:", "failed": "yes"})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link, {"action": "retry_selected", "_selected_action": [receipt.pk]}, follow=True
        )
    assert "1건을 다시 보내도록 예약했습니다." in response.content.decode()
    receipt.refresh_from_db()
    assert receipt.status == Status.SENT  # the console backend in tests


def test_O4_clerk_cannot_use_the_retry_action(failed_filing, roads_clerk, client_for):
    _complaint, receipt = failed_filing
    response = client_for(roads_clerk).post(
        reverse("admin:notifications_smsmessage_changelist"),
        {"action": "retry_selected", "_selected_action": [receipt.pk]},
    )
    assert response.status_code == 403
    receipt.refresh_from_db()
    assert receipt.status == Status.FAILED
