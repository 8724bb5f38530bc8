"""The Act's procedures through the services (L1–L8, C2, R5): extensions, 보완, transfers,
즉시, progress and refusal notices, each to every channel the citizen gave."""

import re
from datetime import timedelta

import pytest

from complaints import deadlines, services
from complaints.models import Action, Agency, Complaint, Kind, Letter, Stage
from complaints.services import TransitionRefused
from complaints.tasks import expire_holds
from notifications.models import EmailMessage, SmsMessage
from tests.complaints import files
from tests.complaints.factories import NOW, ComplaintTypeFactory, file_one

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def assigned(ctype, clerk, **overrides):
    complaint = file_one(ctype, **overrides)
    return services.assign(complaint, clerk.staff_member, by=clerk, now=NOW + HOUR)


def sms_for(complaint, key_part):
    return SmsMessage.objects.get(key__startswith=f"complaint:{complaint.pk}:{key_part}")


# --- L1 -------------------------------------------------------------------------------
def test_L1_third_extension_refused(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    complaint = services.extend(complaint, days=7, reason="현장 조사", by=roads_clerk, now=NOW)
    complaint = services.extend(
        complaint, days=7, reason="추가 조사", consent=True, by=roads_clerk, now=NOW
    )
    assert complaint.extension_count == 2 and complaint.extension_consent
    with pytest.raises(TransitionRefused) as refused:
        services.extend(complaint, days=1, reason="또", consent=True, by=roads_clerk, now=NOW)
    assert refused.value.code == "extension_too_many"
    assert "두 번까지" in refused.value.message


def test_L1_second_extension_needs_consent_and_stays_within_the_period(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    complaint = services.extend(complaint, days=3, reason="현장 조사", by=roads_clerk, now=NOW)
    with pytest.raises(TransitionRefused) as refused:
        services.extend(complaint, days=3, reason="다시", by=roads_clerk, now=NOW)
    assert refused.value.code == "extension_consent_required"
    with pytest.raises(TransitionRefused) as refused:
        services.extend(complaint, days=8, reason="다시", consent=True, by=roads_clerk, now=NOW)
    assert refused.value.code == "extension_longer_than_period"


def test_L1_L7_extension_reaches_the_citizen_without_sms_consent(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk, sms_consent=False)
    complaint = services.extend(complaint, days=5, reason="현장 조사", by=roads_clerk, now=NOW)
    sms = sms_for(complaint, "extended")
    mail = EmailMessage.objects.get(key__startswith=f"complaint:{complaint.pk}:extended")
    for text in (sms.body, mail.body):
        assert "현장 조사" in text and "건설과" in text and "김도로" in text
        assert "031-839-2314" in text
    assert "처리기간을 연장" in mail.body


def test_L1_notice_is_a_letter_when_the_citizen_gave_no_phone_and_no_email(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk, phone="", email="", sms_consent=False)
    services.extend(complaint, days=2, reason="현장 조사", by=roads_clerk, now=NOW)
    letter = Letter.objects.get(complaint=complaint)
    assert "현장 조사" in letter.body and "김도로" in letter.body
    assert letter.address and letter.printed_at is None
    assert not SmsMessage.objects.filter(key__contains=":extended").exists()


def test_L1_notice_to_a_landline_is_a_letter_not_a_text_message(road_type, roads_clerk):
    """A landline cannot receive text messages: the notice goes by the other channels."""
    complaint = assigned(road_type, roads_clerk, phone="031-839-2114", email="", sms_consent=False)
    services.extend(complaint, days=2, reason="현장 조사", by=roads_clerk, now=NOW)
    assert Letter.objects.filter(complaint=complaint).exists()
    assert not SmsMessage.objects.filter(key__contains=":extended").exists()


# --- L2 -------------------------------------------------------------------------------
def test_L2_hold_request_states_need_date_and_pause(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    complaint = services.put_on_hold(
        complaint,
        reason="투기 장소 사진을 보내 주세요",
        answer_by=(NOW + 7 * DAY).date(),
        by=roads_clerk,
        now=NOW + 2 * HOUR,
    )
    sms = sms_for(complaint, "hold")
    assert "투기 장소 사진" in sms.body and "/complaints/track/" in sms.body
    assert "멈춥니다" in sms.body and "2026년 3월 17일(화요일) 23:59까지" in sms.body
    assert not complaint.hold_requested_late


def test_L2_late_hold_request_is_flagged(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    late = NOW + 2 * DAY  # 16 working hours after receipt
    complaint = services.put_on_hold(
        complaint, reason="사진", answer_by=late + 7 * DAY, by=roads_clerk, now=late
    )
    assert complaint.hold_requested_late
    assert "8근무시간" in complaint.events.get(action=Action.HOLD).note


def test_L2_hold_needs_a_future_answer_by_date(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    with pytest.raises(TransitionRefused) as refused:
        services.put_on_hold(complaint, reason="사진", answer_by=None, by=roads_clerk, now=NOW)
    assert refused.value.code == "answer_by_required"
    with pytest.raises(TransitionRefused):
        services.put_on_hold(complaint, reason="사진", answer_by=NOW - DAY, by=roads_clerk, now=NOW)


def test_L2_citizen_answer_resumes_the_clock_and_tells_the_owner_at_once(road_type, roads_clerk):
    # 7 days from Tue 03-10 10:00: due Thu 03-18 18:00. Held Wed 03-11 10:00, answered
    # Fri 03-13 15:00: Wed, Thu, Fri are out, so due Mon 03-23 18:00.
    member = roads_clerk.staff_member
    member.mobile, member.email = "010-2222-3333", "roads@yeoncheon.go.kr"
    member.save(update_fields=["mobile", "email"])
    complaint = assigned(road_type, roads_clerk)
    held, answered = NOW + DAY, NOW + 3 * DAY + 5 * HOUR
    complaint = services.put_on_hold(
        complaint, reason="사진", answer_by=held + 7 * DAY, by=roads_clerk, now=held
    )
    complaint = services.answer_hold(
        complaint, note="사진 보냅니다", files=(files.upload("site.jpg", files.JPG),), now=answered
    )
    assert complaint.stage == Stage.ASSIGNED
    assert complaint.due_at == deadlines.resumed_due_at(
        deadlines.legal_due_at(NOW, 7), held, answered, period_days=7
    )
    assert complaint.due_at.isoformat() == "2026-03-23T18:00:00+09:00"
    supplement = complaint.attachments.get()
    assert supplement.is_supplement and supplement.original_name == "site.jpg"
    assert SmsMessage.objects.get(key__contains=":answered:").to == "+821022223333"
    assert "사진 보냅니다" in EmailMessage.objects.get(key__contains=":answered:").body


def test_L2_answer_uses_the_filing_attachment_rules(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    complaint = services.put_on_hold(
        complaint, reason="사진", answer_by=NOW + 7 * DAY, by=roads_clerk, now=NOW + HOUR
    )
    with pytest.raises(services.ValidationError) as refused:
        services.answer_hold(complaint, note="", files=(files.upload("x.pdf", files.EXE),), now=NOW)
    assert "files" in refused.value.message_dict
    complaint.refresh_from_db()
    assert complaint.stage == Stage.ON_HOLD and not complaint.attachments.exists()


def test_L2_unanswered_hold_is_asked_again_then_returned_with_reasons(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    complaint = services.put_on_hold(
        complaint, reason="사진", answer_by=NOW + 2 * DAY, by=roads_clerk, now=NOW + HOUR
    )
    assert expire_holds(NOW + 3 * DAY) == 1
    complaint.refresh_from_db()
    assert complaint.stage == Stage.ON_HOLD and complaint.hold_round == 2
    assert complaint.hold_answer_by.date() == (NOW + 13 * DAY).date()  # 10 days more
    assert SmsMessage.objects.filter(key__contains=":hold:").count() == 2
    assert expire_holds(NOW + 4 * DAY) == 0
    assert expire_holds(NOW + 14 * DAY) == 1
    complaint.refresh_from_db()
    assert complaint.stage == Stage.REFUSED
    assert "보완" in complaint.refusal_reason
    assert "행정심판" in sms_for(complaint, "result").body


# --- L3 -------------------------------------------------------------------------------
def test_L3_internal_transfer_is_told_to_the_citizen(road_type, roads_clerk, environment):
    complaint = file_one(road_type)
    services.transfer(complaint, environment, reason="환경과 소관", by=roads_clerk, now=NOW)
    sms = sms_for(complaint, "moved")
    assert "환경과" in sms.body and "031-839-2400" in sms.body


def test_L3_english_filing_hears_of_the_transfer_in_english(road_type, verifier):
    agency = Agency.objects.create(
        name="한국도로공사", name_en="Korea Expressway Corporation", phone="1588-2504"
    )
    complaint = file_one(road_type, language="en")
    services.transfer_to_agency(complaint, agency, reason="motorway", by=verifier, now=NOW)
    sms = sms_for(complaint, "transferred")
    assert sms.language == "en"
    assert "Korea Expressway Corporation" in sms.body and "한국도로공사" not in sms.body
    assert "Construction Division" in sms.body and "건설과" not in sms.body
    event = complaint.events.get(action=Action.TRANSFER_OUT)
    assert "한국도로공사" in event.note  # the staff record stays in Korean


def test_L3_transfer_to_another_agency_closes_here_with_the_record(road_type, verifier):
    agency = Agency.objects.create(
        name="한국도로공사", phone="1588-2504", delivery="online", delivery_detail="문서24"
    )
    complaint = file_one(road_type)
    late = NOW + 2 * DAY
    complaint = services.transfer_to_agency(
        complaint, agency, reason="고속도로 구간", by=verifier, now=late
    )
    assert complaint.stage == Stage.TRANSFERRED and not complaint.is_open
    assert complaint.transferred_to == agency and complaint.closed_at == late
    event = complaint.events.get(action=Action.TRANSFER_OUT)
    assert "한국도로공사" in event.note and "고속도로 구간" in event.note
    assert "이송 기한 경과" in event.note  # past the 8 working hours
    sms = sms_for(complaint, "transferred")
    assert "한국도로공사" in sms.body and "1588-2504" in sms.body


# --- L4 -------------------------------------------------------------------------------
def test_L4_immediate_type_is_due_three_working_hours_after_receipt(roads, lead_department):
    certificate = ComplaintTypeFactory(
        code="t-now", period_days=0, handling_department=roads, lead_department=lead_department
    )
    complaint = file_one(certificate)
    # Tue 10:00: 10–12 (2), 13:00 + 1 h.
    assert complaint.due_at == NOW + 4 * HOUR
    assert complaint.stage_due_at <= complaint.due_at
    with pytest.raises(TransitionRefused):
        services.extend(complaint, days=1, reason="x", by=None, now=NOW)


# --- L5 -------------------------------------------------------------------------------
def test_L5_progress_notice_goes_without_sms_consent(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk, sms_consent=False)
    assert services.send_progress_notice(complaint, now=NOW + 31 * DAY)
    assert "처리 중" in sms_for(complaint, "progress").body


def test_L5_progress_notice_on_hold_never_quotes_a_past_due_date(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    complaint = services.put_on_hold(
        complaint, reason="사진", answer_by=NOW + 40 * DAY, by=roads_clerk, now=NOW + HOUR
    )
    services.send_progress_notice(complaint, now=NOW + 31 * DAY)
    body = sms_for(complaint, "progress").body
    assert "멈춰" in body and complaint.due_at.strftime("%m.%d") not in body


def test_L5_omission_is_recorded_with_its_basis(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk, phone="", email="", sms_consent=False)
    assert services.send_progress_notice(complaint, now=NOW + 31 * DAY)
    event = complaint.events.get(action=Action.PROGRESS)
    assert "생략" in event.note and "제23조" in event.note
    assert not Letter.objects.exists()


# --- L6 -------------------------------------------------------------------------------
def test_L6_refusal_carries_reasons_and_remedy(road_type, roads_clerk):
    road_type.is_statutory = True
    road_type.save()
    complaint = assigned(road_type, roads_clerk)
    services.refuse(complaint, reason="사유지입니다", by=roads_clerk, now=NOW + 2 * HOUR)
    sms = sms_for(complaint, "result")
    mail = EmailMessage.objects.get(key__startswith=f"complaint:{complaint.pk}:result")
    assert "사유지" in sms.body and "이의신청" in sms.body and "행정심판" in sms.body
    for text in ("이의신청", "60일", "행정심판", "행정소송", "김도로"):
        assert text in mail.body


# --- Language -------------------------------------------------------------------------
def test_L7_english_filing_gets_english_notices(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk, language="en")
    assert complaint.language == "en"
    services.extend(complaint, days=2, reason="site survey", by=roads_clerk, now=NOW)
    sms = sms_for(complaint, "extended")
    assert sms.language == "en"
    assert "extended" in sms.body and "Construction Division" in sms.body


@pytest.mark.parametrize(
    ("key", "act"),
    [
        (
            "hold",
            lambda c, by: services.put_on_hold(
                c, reason="photo", answer_by=NOW + 7 * DAY, by=by, now=NOW + 2 * HOUR
            ),
        ),
        (
            "result",
            lambda c, by: services.close_with_result(
                c, result_text="repaired", by=by, now=NOW + 2 * HOUR
            ),
        ),
        ("result", lambda c, by: services.refuse(c, reason="private", by=by, now=NOW + 2 * HOUR)),
    ],
)
def test_L7_every_later_notice_of_an_english_filing_is_english(road_type, roads_clerk, key, act):
    complaint = assigned(road_type, roads_clerk, language="en")
    act(complaint, roads_clerk)
    sms = sms_for(complaint, key)
    assert sms.language == "en"
    assert "Construction Division" in sms.body and "Kim Doro (Officer)" not in sms.body
    assert "Kim Doro Officer" in sms.body
    assert not re.search(r"[가-힣]", sms.body), sms.body


# --- C2 and R5 ------------------------------------------------------------------------
def test_C2_service_complaint_takes_eight_working_days_in_all(roads, lead_department, roads_clerk):
    service = ComplaintTypeFactory(
        code="t-service",
        kind=Kind.SERVICE,
        period_days=14,
        handling_department=roads,
        lead_department=lead_department,
    )
    complaint = file_one(service)
    limit = deadlines.add_working_days(NOW, 8)
    # Each stage entered just before its due time: the whole never passes 8 days.
    complaint = services.assign(complaint, _member(roads), by=None, now=complaint.stage_due_at)
    for _step in range(3):
        by = None
        complaint = services.advance(complaint, by=by, now=complaint.stage_due_at)
        assert complaint.stage_due_at <= limit
    assert complaint.stage == Stage.CORRECTING and complaint.stage_due_at == limit


def _member(department):
    from staff_directory.models import StaffMember

    return StaffMember.objects.filter(department=department).first()


def test_C2_petition_closes_without_the_service_procedure(road_type, roads_clerk):
    complaint = assigned(road_type, roads_clerk)
    complaint = services.close_with_result(
        complaint, result_text="보수했습니다", by=roads_clerk, now=NOW + 3 * HOUR
    )
    assert complaint.stage == Stage.NOTIFIED


def test_R5_late_stage_of_an_ordinary_petition_proposes_no_voucher(road_type, roads_clerk):
    from compensation.services import facts_for, propose_automatic_payouts

    complaint = assigned(road_type, roads_clerk)
    Complaint.objects.filter(pk=complaint.pk).update(is_overdue=True)
    complaint.refresh_from_db()
    assert facts_for(complaint).stage_overdue is False
    assert propose_automatic_payouts(NOW + DAY) == 0
