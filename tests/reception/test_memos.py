"""Memos for absent staff (V4 P3 P6): recording, delivery, call-back tracking, overdue."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import EmailMessage, SmsMessage
from reception import selectors, services
from reception.forms import MemoForm
from reception.models import CallbackState, Memo
from tests.reception.conftest import SEOUL

pytestmark = pytest.mark.django_db


def memo_data(member, /, **overrides):
    data = {
        "kind": "phone",
        "owner": str(member.pk),
        "caller_name": "홍길동",
        "purpose": "도로 파손 보수 일정 문의",
        "contacted_at": "2026-11-24T09:40",
        "callback_needed": "on",
        "phone": "010-9876-5432",
        "number_read_back": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def record(owner, taker, now, **overrides):
    values = {
        "owner": owner,
        "caller_name": "홍길동",
        "purpose": "보수 일정 문의",
        "contacted_at": now,
        "callback_needed": True,
        "phone": "+821098765432",
        "number_read_back": True,
        "taken_by": taker,
        "now": now,
    }
    values.update(overrides)
    return services.record_memo(**values)


def test_P3_memo_form_has_exactly_the_standard_fields(db):
    """Caller's name, purpose, date and time, call back needed, phone — plus the owner,
    the kind (phone or visit) and the read-back confirmation (P6). The taker is not a
    field: it comes from the login."""
    assert set(MemoForm().fields) == {
        "kind",
        "owner",
        "caller_name",
        "purpose",
        "contacted_at",
        "callback_needed",
        "phone",
        "number_read_back",
    }


def test_P3_clerk_records_memo_taker_filled_from_login(
    client_for, other_clerk, absent_owner, django_capture_on_commit_callbacks
):
    client = client_for(other_clerk)
    page = client.get(reverse("reception:memo_new"))
    assert page.status_code == 200
    assert "이환경" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reception:memo_new"), memo_data(absent_owner))
    assert response.status_code == 302
    memo = Memo.objects.get()
    assert memo.taker_name == "이환경"
    assert memo.taken_by == other_clerk
    assert memo.owner == absent_owner
    assert memo.phone == "+821098765432"
    assert memo.callback_needed is True
    assert memo.callback_state == CallbackState.PENDING
    assert memo.contacted_at == datetime.datetime(2026, 11, 24, 9, 40, tzinfo=SEOUL)


def test_P6_memo_requires_number_read_back(client_for, other_clerk, absent_owner):
    client = client_for(other_clerk)
    response = client.post(
        reverse("reception:memo_new"), memo_data(absent_owner, number_read_back=None)
    )
    assert response.status_code == 200
    assert "한 번 더 불러 드려 확인한 뒤 체크해 주세요" in response.content.decode()
    assert not Memo.objects.exists()


def test_P6_service_refuses_memo_without_read_back(absent_owner, other_clerk, now):
    with pytest.raises(ValidationError):
        record(absent_owner, other_clerk, now, number_read_back=False)
    assert not Memo.objects.exists()


def test_V4_memo_notifies_owner_and_substitute_by_sms_and_email(
    absent_owner, other_clerk, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        memo = record(absent_owner, other_clerk, now)
    numbers = set(SmsMessage.objects.values_list("to", flat=True))
    assert numbers == {"+821033334444", "+821011112222"}
    owner_sms = SmsMessage.objects.get(to="+821033334444")
    assert "홍길동" in owner_sms.body and "010-9876-5432" in owner_sms.body
    assert set(EmailMessage.objects.values_list("to", flat=True)) == {
        "doro@yeoncheon.go.kr",
        "head@yeoncheon.go.kr",
    }
    body = EmailMessage.objects.get(to="doro@yeoncheon.go.kr").body
    for text in ("홍길동", "보수 일정 문의", "2026-11-24 10:00", "010-9876-5432", "이환경"):
        assert text in body
    # Delivered once: the same notice again is the same row.
    services._notify_memo(memo)
    assert SmsMessage.objects.count() == 2


def test_V4_rolled_back_memo_sends_nothing(absent_owner, other_clerk, now):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record(absent_owner, other_clerk, now)
        raise RuntimeError
    assert not SmsMessage.objects.exists()


def test_P3_callback_not_needed_is_not_tracked(absent_owner, other_clerk, now):
    memo = record(absent_owner, other_clerk, now, callback_needed=False)
    assert memo.callback_state == CallbackState.NOT_NEEDED
    assert memo.callback_due_at is None


def test_V4_callback_pending_to_done_once(absent_owner, roads_clerk, other_clerk, now):
    memo = record(absent_owner, other_clerk, now)
    later = now + datetime.timedelta(hours=2)
    services.close_memo(memo, state=CallbackState.DONE, note="통화함", by=roads_clerk, now=later)
    memo.refresh_from_db()
    assert memo.callback_state == CallbackState.DONE
    assert memo.callback_note == "통화함"
    assert memo.closed_at == later and memo.closed_by == roads_clerk
    with pytest.raises(ValidationError):
        services.close_memo(
            memo, state=CallbackState.NOT_NEEDED, note="", by=roads_clerk, now=later
        )


def test_V4_over_long_callback_note_refused_on_its_field_never_cut(
    absent_owner, roads_clerk, other_clerk, now
):
    memo = record(absent_owner, other_clerk, now)
    with pytest.raises(ValidationError) as refused:
        services.close_memo(
            memo, state=CallbackState.DONE, note="가" * 301, by=roads_clerk, now=now
        )
    assert list(refused.value.message_dict) == ["note"]
    memo.refresh_from_db()
    assert memo.callback_state == CallbackState.PENDING and memo.callback_note == ""


def test_V4_clerk_of_another_department_cannot_close_memo(absent_owner, other_clerk, now):
    memo = record(absent_owner, other_clerk, now)
    with pytest.raises(PermissionDenied):
        services.close_memo(memo, state=CallbackState.DONE, note="", by=other_clerk, now=now)


def test_P3_memo_overdue_after_one_working_day(absent_owner, other_clerk, now, roads):
    memo = record(absent_owner, other_clerk, now)
    # Tuesday 10:00 + one working day (8 working hours) = Wednesday 10:00.
    assert memo.callback_due_at == datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SEOUL)
    before = datetime.datetime(2026, 11, 25, 9, 59, tzinfo=SEOUL)
    after = datetime.datetime(2026, 11, 25, 10, 1, tzinfo=SEOUL)
    assert not memo.is_overdue(before)
    assert memo.is_overdue(after)
    assert selectors.overdue_counts(roads, before)["memos"] == 0
    assert selectors.overdue_counts(roads, after)["memos"] == 1


def test_P3_friday_memo_is_due_monday(absent_owner, other_clerk):
    friday = datetime.datetime(2026, 11, 27, 17, 0, tzinfo=SEOUL)
    memo = record(absent_owner, other_clerk, friday)
    assert memo.callback_due_at == datetime.datetime(2026, 11, 30, 17, 0, tzinfo=SEOUL)


def test_V4_owner_sees_open_memos_first_on_admin_index(
    client_for, absent_owner, roads_clerk, other_clerk, now
):
    record(absent_owner, other_clerk, now, caller_name="메모남긴사람")
    page = client_for(roads_clerk).get(reverse("admin:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "나에게 온 메모" in html and "메모남긴사람" in html
    assert html.index("my-open-memos") < html.index("content-main")


def test_V4_substitute_sees_memos_of_the_person_they_stand_in_for(
    client_for, absent_owner, roads_head, other_clerk, now
):
    record(absent_owner, other_clerk, now, caller_name="대리확인")
    html = client_for(roads_head).get(reverse("admin:index")).content.decode()
    assert "대리확인" in html


def test_V4_desk_lists_own_memos_first_and_flags_overdue(
    client_for, absent_owner, roads_head, roads_clerk, other_clerk
):
    old = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=SEOUL)
    record(roads_head.staff_member, other_clerk, old, caller_name="과장님앞")
    record(absent_owner, other_clerk, old, caller_name="주무관앞")
    html = client_for(roads_clerk).get(reverse("reception:desk")).content.decode()
    assert html.index("주무관앞") < html.index("과장님앞")
    assert "기한 지남" in html


# --- Permission trios -------------------------------------------------------------------
STAFF_PAGES = ["reception:desk", "reception:memo_new"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_V4_staff_pages_permission_trio(client, client_for, outsider, roads_clerk, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(roads_clerk).get(url).status_code == 200


def test_V4_memo_detail_trio_and_department_scope(
    client, client_for, outsider, absent_owner, roads_clerk, other_clerk, manager, now
):
    memo = record(absent_owner, other_clerk, now)
    url = reverse("reception:memo_detail", args=[memo.pk])
    assert client.get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(roads_clerk).get(url).status_code == 200
    # The taker works elsewhere: they cannot see the owner's memo afterwards.
    assert client_for(other_clerk).get(url).status_code == 403
    assert client_for(manager).get(url).status_code == 200


def test_V4_memo_close_rejects_get_and_other_departments(
    client_for, absent_owner, roads_clerk, other_clerk, manager, now
):
    memo = record(absent_owner, other_clerk, now)
    url = reverse("reception:memo_close", args=[memo.pk])
    assert client_for(roads_clerk).get(url).status_code == 405
    assert client_for(other_clerk).post(url, {"state": "done"}).status_code == 403
    assert client_for(manager).post(url, {"state": "done"}).status_code == 403
    response = client_for(roads_clerk).post(url, {"state": "bogus"})
    assert response.status_code == 400
    response = client_for(roads_clerk).post(url, {"state": "done", "note": "통화 완료"})
    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.callback_state == CallbackState.DONE
    # A second close is refused with a message, not a 500.
    response = client_for(roads_clerk).post(url, {"state": "done"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "overrides",
    [
        {"caller_name": ""},
        {"caller_name": "가" * 31},
        {"purpose": "가" * 501},
        {"phone": "12"},
        {"owner": "999999"},
        {"owner": "abc"},
        {"contacted_at": "어제"},
        {"kind": "fax"},
    ],
)
def test_P3_bad_memo_input_gets_a_message(client_for, other_clerk, absent_owner, overrides):
    response = client_for(other_clerk).post(
        reverse("reception:memo_new"), memo_data(absent_owner, **overrides)
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Memo.objects.exists()


def test_P3_script_in_memo_is_stored_as_text_and_escaped(
    client_for, other_clerk, absent_owner, roads_clerk
):
    client_for(other_clerk).post(
        reverse("reception:memo_new"),
        memo_data(absent_owner, purpose="<script>alert(1)</script>"),
    )
    memo = Memo.objects.get()
    assert memo.purpose == "<script>alert(1)</script>"
    html = client_for(roads_clerk).get(reverse("reception:memo_detail", args=[memo.pk]))
    assert b"<script>alert(1)" not in html.content
    assert b"&lt;script&gt;" in html.content
