"""The outbox in the admin: masked numbers, errors in words, a retry for failed rows."""

import pytest
from django.urls import reverse

from notifications.models import EmailMessage, SmsMessage, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_sms():
    return SmsMessage.objects.create(
        key="a1",
        to="+821012345678",
        body="본문",
        template="t",
        status=Status.FAILED,
        attempts=1,
        error_code="21211",
    )


def test_sms_changelist_masks_numbers_and_explains_errors(admin_client, failed_sms):
    response = admin_client.get(reverse("admin:notifications_smsmessage_changelist"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "010-****-5678" in page
    assert "+821012345678" not in page
    assert "전화번호가 올바르지 않습니다." in page


def test_filters_and_detail(admin_client, failed_sms):
    url = reverse("admin:notifications_smsmessage_changelist")
    assert admin_client.get(url, {"failed": "yes"}).status_code == 200
    assert admin_client.get(url, {"failed": "no", "status__exact": "sent"}).status_code == 200
    detail = admin_client.get(
        reverse("admin:notifications_smsmessage_change", args=[failed_sms.pk])
    )
    assert detail.status_code == 200
    assert "+821012345678" not in detail.content.decode()
    assert admin_client.get(reverse("admin:notifications_smsmessage_add")).status_code == 403


def test_retry_action(admin_client, failed_sms, django_capture_on_commit_callbacks):
    url = reverse("admin:notifications_smsmessage_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"action": "retry_selected", "_selected_action": [failed_sms.pk]}, follow=True
        )
    assert response.status_code == 200
    assert "1건을 다시 보내도록 예약했습니다." in response.content.decode()
    failed_sms.refresh_from_db()
    assert failed_sms.status == Status.SENT


def test_email_changelist(admin_client):
    EmailMessage.objects.create(
        key="e",
        to="a@example.kr",
        subject="제목",
        body="b",
        template="t",
        status=Status.FAILED,
        error_code="recipient",
    )
    url = reverse("admin:notifications_emailmessage_changelist")
    response = admin_client.get(url, {"failed": "yes"})
    assert response.status_code == 200
    assert "받는 사람 메일 주소가 거부되었습니다." in response.content.decode()
