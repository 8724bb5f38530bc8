"""The clerk intake page and the attachment download (C3 H1 H4 K3 M1 V6)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import AccessAction, AccessLog, Attachment, Complaint, Stage
from notifications.models import SmsMessage
from tests.complaints import files
from tests.complaints.factories import file_one

pytestmark = pytest.mark.django_db

INTAKE = reverse("complaints_staff:intake")


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def form_data(road_type):
    now = timezone.now()
    return {
        "channel": "visit",
        "complaint_type": road_type.pk,
        "arrived_at": local(now - timedelta(minutes=10)),
        "received_at": local(now - timedelta(minutes=5)),
        "filer_type": "individual",
        "name": "홍길동",
        "phone": "010-1234-5678",
        "email": "",
        "address": "경기도 연천군 연천읍 차탄로 1",
        "visit_count": "1",
        "title": "도로가 패였습니다",
        "content": "차탄리 앞 도로에 구멍이 있습니다.",
        "location_text": "차탄리 12",
        "sms_consent": "on",
    }


# --- Permissions ---------------------------------------------------------------------
def test_H1_intake_anonymous_is_sent_to_login(client):
    response = client.get(INTAKE)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "manager"])
def test_H1_intake_refused_without_a_directory_record(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(INTAKE).status_code == 403


@pytest.mark.parametrize("who", ["roads_clerk", "other_clerk", "verifier", "superuser"])
def test_H1_intake_open_to_every_clerk(client_for, request, who):
    response = client_for(request.getfixturevalue(who)).get(INTAKE)
    assert response.status_code == 200
    assert 'name="received_at"' in response.content.decode()


def test_H1_any_clerk_files_for_any_department(client_for, other_clerk, form_data, roads):
    response = client_for(other_clerk).post(INTAKE, form_data)
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints_staff:intake_done", args=[complaint.pk])
    assert complaint.department == roads
    assert complaint.created_by == other_clerk
    done = client_for(other_clerk).get(response["Location"])
    assert complaint.receipt_number in done.content.decode()


def test_H1_intake_done_page_is_private(client_for, other_clerk, roads_clerk, road_type):
    complaint = file_one(road_type, by=roads_clerk)
    url = reverse("complaints_staff:intake_done", args=[complaint.pk])
    assert client_for(other_clerk).get(url).status_code == 404
    assert client_for(roads_clerk).get(url).status_code == 200


def test_C3_clerk_records_arrival_and_receipt_times(client_for, roads_clerk, form_data):
    client_for(roads_clerk).post(INTAKE, form_data)
    complaint = Complaint.objects.get()
    assert local(complaint.arrived_at) == form_data["arrived_at"]
    assert local(complaint.received_at) == form_data["received_at"]
    assert complaint.channel == "visit"


def test_H4_assisted_filing_records_clerk_and_confirmation(client_for, roads_clerk, form_data):
    client = client_for(roads_clerk)
    response = client.post(INTAKE, {**form_data, "assisted": "on"})
    assert response.status_code == 200
    assert "확인" in response.content.decode()
    assert not Complaint.objects.exists()
    client.post(INTAKE, {**form_data, "assisted": "on", "citizen_confirmed": "on"})
    complaint = Complaint.objects.get()
    assert complaint.assisted_by == roads_clerk and complaint.citizen_confirmed


def test_M1_fax_intake_notifies_the_owner(client_for, roads_clerk, roads_head, form_data):
    head = roads_head.staff_member
    head.mobile = "+821077776666"
    head.save()
    client_for(roads_clerk).post(INTAKE, {**form_data, "channel": "fax"})
    complaint = Complaint.objects.get()
    assert complaint.owner == head
    assert complaint.owner_notified_at is not None
    assert complaint.notice_delay_minutes is not None and complaint.notice_delay_minutes <= 6
    assert SmsMessage.objects.filter(to="+821077776666").exists()


def test_V6_priority_intake(client_for, roads_clerk, form_data):
    client_for(roads_clerk).post(
        INTAKE,
        {**form_data, "priority_reasons": ["official_error"], "visit_count": "3"},
    )
    complaint = Complaint.objects.get()
    assert complaint.is_priority
    assert "죄송" in complaint.events.first().note


def test_K3_clerk_intake_records_an_excluded_filing_as_refused(client_for, roads_clerk, form_data):
    response = client_for(roads_clerk).post(INTAKE, {**form_data, "filer_type": "agency"})
    complaint = Complaint.objects.get()
    assert complaint.stage == Stage.REFUSED
    done = client_for(roads_clerk).get(response["Location"]).content.decode()
    assert "반려" in done and "법률" in done


# --- Bad input -----------------------------------------------------------------------
def test_intake_every_field_empty(client_for, roads_clerk):
    response = client_for(roads_clerk).post(INTAKE, {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"channel", "complaint_type", "arrived_at", "received_at", "title", "content"} <= set(
        errors
    )
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "가" * 201),
        ("content", "가" * 4001),
        ("name", "가" * 51),
        ("address", "가" * 201),
        ("phone", "전화번호"),
        ("phone", "010-12"),
        ("email", "not-an-email"),
        ("arrived_at", "어제"),
        ("received_at", "2026-13-45T99:99"),
        ("visit_count", "0"),
        ("visit_count", "many"),
        ("channel", "pigeon"),
        ("complaint_type", "999999"),
        ("priority_reasons", "vip"),
    ],
)
def test_intake_bad_field_gives_a_clear_message(client_for, roads_clerk, form_data, field, value):
    response = client_for(roads_clerk).post(INTAKE, {**form_data, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_intake_receipt_before_arrival(client_for, roads_clerk, form_data):
    data = {
        **form_data,
        "received_at": form_data["arrived_at"],
        "arrived_at": form_data["received_at"],
    }
    response = client_for(roads_clerk).post(INTAKE, data)
    assert "received_at" in response.context["form"].errors


def test_intake_future_times_are_refused(client_for, roads_clerk, form_data):
    future = local(timezone.now() + timedelta(days=1))
    response = client_for(roads_clerk).post(
        INTAKE, {**form_data, "arrived_at": future, "received_at": future}
    )
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_intake_html_is_stored_as_text_and_shown_escaped(client_for, roads_clerk, form_data):
    script = "<script>alert('x')</script>"
    client = client_for(roads_clerk)
    response = client.post(INTAKE, {**form_data, "title": script, "content": script})
    complaint = Complaint.objects.get()
    assert complaint.title == script
    done = client.get(response["Location"]).content.decode()
    assert script not in done
    assert "&lt;script&gt;" in done
    change = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert script not in change.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [("virus.pdf", files.EXE), ("big.pdf", files.PDF + b"0" * (10 * 1024 * 1024))],
)
def test_intake_wrong_or_oversized_file(client_for, roads_clerk, form_data, name, data):
    response = client_for(roads_clerk).post(
        INTAKE, {**form_data, "attachments": [files.upload(name, data)]}
    )
    assert response.status_code == 200
    assert name in " ".join(response.context["form"].errors["attachments"])
    assert not Complaint.objects.exists()
    assert not Attachment.objects.exists()


def test_intake_too_many_files(client_for, roads_clerk, form_data):
    uploads = [files.upload(f"{i}.pdf", files.PDF) for i in range(6)]
    response = client_for(roads_clerk).post(INTAKE, {**form_data, "attachments": uploads})
    assert "attachments" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_intake_with_files(client_for, roads_clerk, form_data):
    uploads = [files.upload("a.pdf", files.PDF), files.upload("b.hwp", files.HWP)]
    client_for(roads_clerk).post(INTAKE, {**form_data, "attachments": uploads})
    assert sorted(Attachment.objects.values_list("extension", flat=True)) == ["hwp", "pdf"]


def test_intake_rejects_other_methods(client_for, roads_clerk):
    assert client_for(roads_clerk).put(INTAKE).status_code == 405


# --- Attachment download -------------------------------------------------------------
@pytest.fixture
def attachment(road_type):
    complaint = file_one(road_type, attachments=(files.upload("현장.pdf", files.PDF),))
    return complaint.attachments.get()


def download(client, item):
    return client.get(reverse("complaints_staff:attachment", args=[item.pk]))


def test_C3_attachment_anonymous_is_sent_to_login(client, attachment):
    assert download(client, attachment).status_code == 302


def test_C3_attachment_clerk_of_department_downloads_and_is_logged(
    client_for, roads_clerk, attachment
):
    response = download(client_for(roads_clerk), attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    log = AccessLog.objects.get()
    assert log.action == AccessAction.EXPORT and log.user == roads_clerk


@pytest.mark.parametrize("who", ["other_clerk", "verifier", "outsider"])
def test_C3_attachment_hidden_from_others(client_for, request, who, attachment):
    assert download(client_for(request.getfixturevalue(who)), attachment).status_code == 404
    assert not AccessLog.objects.exists()


def test_C3_attachment_for_manager_and_for_verifier_when_verifying(
    client_for, manager, verifier, roads_clerk, attachment
):
    assert download(client_for(manager), attachment).status_code == 200
    now = timezone.now()
    c = services.assign(attachment.complaint, roads_clerk.staff_member, by=roads_clerk, now=now)
    c = services.advance(c, by=roads_clerk, now=now)
    services.advance(c, by=roads_clerk, now=now)
    assert download(client_for(verifier), attachment).status_code == 200


def test_C3_attachments_are_not_under_media(client, attachment):
    assert client.get("/media/private/" + attachment.file.name).status_code == 404
    assert client.get("/media/" + attachment.file.name).status_code == 404


def test_O3_phone_consultation_is_logged_as_an_intake(client_for, roads_clerk, form_data):
    """A call the clerk answers is filed on the phone channel, with the time it came in."""
    form_data.update(channel="phone", visit_count="1")
    response = client_for(roads_clerk).post(INTAKE, form_data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone"
    assert complaint.created_by == roads_clerk
    assert local(complaint.received_at) == form_data["received_at"]
    filed = complaint.events.get(from_stage="")
    assert filed.to_stage == Stage.RECEIVED
    assert filed.by == roads_clerk
