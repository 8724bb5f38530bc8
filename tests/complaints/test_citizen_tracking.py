"""Citizen tracking: receipt number + phone, the signed SMS link, no enumeration, rate
limits and query counts (C2 O2 O4)."""

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from complaints import notices, services, tracking
from complaints.models import Action, Agency, Stage, StageEvent
from tests.complaints.factories import NOW, file_one

pytestmark = pytest.mark.django_db

TRACK = "/complaints/track/"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"citizen-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def frozen():
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        yield


@pytest.fixture
def filed(road_type, roads_clerk):
    """A filing assigned to the roads clerk and under investigation."""
    complaint = file_one(road_type, name="홍길동", phone="010-1234-5678")
    member = roads_clerk.staff_member
    complaint = services.assign(complaint, member, by=roads_clerk, now=NOW + timedelta(minutes=30))
    complaint = services.advance(complaint, by=roads_clerk, now=NOW + timedelta(minutes=40))
    return complaint


def strip_volatile(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'\s*value="[^"]*"', "", html)


def test_urls_are_the_published_ones():
    assert reverse("complaints:new") == "/complaints/new/"
    assert reverse("complaints:track") == TRACK
    assert reverse("complaints:new_form", args=["road-damage"]) == "/complaints/new/road-damage/"


def test_home_menu_offers_filing_and_tracking(client):
    html = client.get("/").content.decode()
    assert 'href="/complaints/new/"' in html
    assert 'href="/complaints/track/"' in html


def test_track_form_renders(client):
    response = client.get(TRACK)
    assert response.status_code == 200
    html = response.content.decode()
    assert "접수번호" in html and 'autocomplete="tel"' in html


def test_C2_tracking_by_receipt_number_and_phone_shows_timeline_owner_and_dates(
    client, filed, frozen
):
    response = client.post(TRACK, {"receipt_number": filed.receipt_number, "phone": "01012345678"})
    assert response.status_code == 302
    assert response["Location"] == tracking.tracking_path(filed)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert filed.receipt_number in html
    # Timeline with dates, from StageEvent.
    assert "2026년 3월 10일(화요일) 10:00" in html  # received
    assert "2026년 3월 10일(화요일) 10:30" in html  # assigned
    assert "2026년 3월 10일(화요일) 10:40" in html  # investigation started
    timeline = html.split('id="timeline-title"')[1]
    assert timeline.index("접수") < timeline.index("담당자 배정") < timeline.index("사실 확인·조사")
    # The owner, the department and the contact.
    assert "건설과" in html and "김도로" in html and "031-839-2314" in html
    # The legal due date and the stage due date.
    assert "2026년 3월 18일(수요일) 18:00" in html
    assert "이 단계 처리 기한" in html
    # Personal data is masked.
    assert "홍*동" in html and "홍길동" not in html
    assert "010-****-5678" in html and "1234" not in html.split("<main")[1].split("</main>")[0]


def test_receipt_number_is_read_leniently(client, filed):
    year, seq = filed.receipt_number.split("-")
    for typed in (f"{year}{seq}", f" {year}-{int(seq)} ", f"{year}-{seq}"):
        response = client.post(TRACK, {"receipt_number": typed, "phone": "+82 10 1234 5678"})
        assert response.status_code == 302, typed


def test_wrong_phone_and_unknown_number_get_identical_answers(client, filed, road_type):
    other = file_one(road_type, phone="010-9999-0000")
    wrong_phone = client.post(
        TRACK, {"receipt_number": other.receipt_number, "phone": "010-1234-5678"}
    )
    unknown = client.post(TRACK, {"receipt_number": "2026-999999", "phone": "010-1234-5678"})
    assert wrong_phone.status_code == unknown.status_code == 404
    assert [t.name for t in wrong_phone.templates] == [t.name for t in unknown.templates]
    assert strip_volatile(wrong_phone.content.decode()) == strip_volatile(unknown.content.decode())
    assert "맞는 민원을 찾지 못했습니다" in unknown.content.decode()
    assert other.receipt_number not in strip_volatile(wrong_phone.content.decode())


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(token.split(":")[0], str(int(token.split(":")[0]) + 1), 1),
        lambda token: "garbage",
        lambda token: token.split(":")[0],
    ],
    ids=["signature", "other-id", "garbage", "id-only"],
)
def test_tampered_signed_link_gets_the_same_not_found_answer(client, filed, mangle):
    token = tracking.tracking_token(filed)
    assert client.get(reverse("complaints:track_signed", args=[token])).status_code == 200
    tampered = client.get(reverse("complaints:track_signed", args=[mangle(token)]))
    unknown = client.post(TRACK, {"receipt_number": "2026-999999", "phone": "010-1234-5678"})
    assert tampered.status_code == unknown.status_code == 404
    assert [t.name for t in tampered.templates] == [t.name for t in unknown.templates]
    assert strip_volatile(tampered.content.decode()) == strip_volatile(unknown.content.decode())


def test_receipt_link_does_not_open_tracking(client, filed):
    receipt_token = tracking.receipt_url(filed).split("/")[-2]
    response = client.get(reverse("complaints:track_signed", args=[receipt_token]))
    assert response.status_code == 404


def test_bad_tracking_input_gets_field_messages(client):
    response = client.post(TRACK, {"receipt_number": "", "phone": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["receipt_number"] == ["접수번호를 적어 주세요."]
    assert errors["phone"] == ["휴대전화 번호를 적어 주세요."]
    html = response.content.decode()
    assert 'href="#id_receipt_number"' in html and 'href="#id_phone"' in html
    response = client.post(TRACK, {"receipt_number": "<script>x</script>", "phone": "abc"})
    assert response.status_code == 200
    assert "접수번호 형식이 올바르지 않습니다" in response.content.decode()
    assert "<script>x</script>" not in response.content.decode()


def test_tracking_is_rate_limited_per_address(client, filed, settings):
    settings.TRACKING_RATE = "3/m"
    for _ in range(3):
        client.post(TRACK, {"receipt_number": "2026-999999", "phone": "010-1234-5678"})
    blocked = client.post(TRACK, {"receipt_number": filed.receipt_number, "phone": "010-1234-5678"})
    assert blocked.status_code == 429
    assert "요청이 너무 많습니다" in blocked.content.decode()
    # Another address is not blocked.
    other = client.post(
        TRACK,
        {"receipt_number": filed.receipt_number, "phone": "010-1234-5678"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_O4_tracking_url_is_absolute_signed_and_used_by_the_sms(filed, settings):
    settings.SITE_URL = "https://minwon.example.kr/"
    url = tracking.tracking_url(filed)
    assert url.startswith("https://minwon.example.kr/complaints/track/")
    assert url.endswith("/")
    assert notices.tracking_link(filed) == url
    assert tracking.complaint_id_from_tracking(url.split("/")[-2]) == filed.pk


def test_tracking_shows_hold_and_result(client, filed, roads_clerk, verifier):
    now = NOW + timedelta(hours=2)
    complaint = services.put_on_hold(
        filed,
        reason="사진을 보내 주세요",
        answer_by=now + timedelta(days=7),
        by=roads_clerk,
        now=now,
    )
    html = client.get(tracking.tracking_path(complaint)).content.decode()
    assert "보완 요청" in html and "사진을 보내 주세요" in html
    complaint = services.resume(complaint, by=roads_clerk, now=now + timedelta(hours=1))
    complaint = services.advance(complaint, by=roads_clerk, now=now + timedelta(hours=2))
    complaint = services.close_with_result(
        complaint, result_text="도로를 보수했습니다.", by=verifier, now=now + timedelta(hours=3)
    )
    html = client.get(tracking.tracking_path(complaint)).content.decode()
    assert "결과 통보" in html and "도로를 보수했습니다." in html


def test_internal_events_are_not_shown(client, filed):
    StageEvent.objects.create(
        complaint=filed,
        action=Action.ESCALATE,
        from_stage=Stage.INVESTIGATING,
        to_stage=Stage.INVESTIGATING,
        at=NOW + timedelta(days=3),
        note="부서장에게만 보이는 메모",
    )
    html = client.get(tracking.tracking_path(filed)).content.decode()
    assert "부서장 보고" not in html
    assert "부서장에게만 보이는 메모" not in html


# --- Query counts ----------------------------------------------------------------------
TRACK_PAGE_QUERIES = 2
TRACK_POST_QUERIES = 1
RECEIPT_PAGE_QUERIES = 2  # the filing, its attachments


@pytest.mark.parametrize("size", [3, 30])
def test_tracking_page_query_count_does_not_grow(
    client, road_type, roads_clerk, size, django_assert_num_queries
):
    for i in range(size):
        file_one(road_type, phone=f"010-3000-{i:04d}")
    complaint = file_one(road_type, phone="010-1234-5678")
    member = roads_clerk.staff_member
    complaint = services.assign(complaint, member, by=roads_clerk, now=NOW)
    StageEvent.objects.bulk_create(
        StageEvent(
            complaint=complaint,
            action=Action.EXTEND if i % 2 else Action.PROGRESS,
            from_stage=Stage.ASSIGNED,
            to_stage=Stage.ASSIGNED,
            at=NOW + timedelta(minutes=i),
        )
        for i in range(size)
    )
    path = tracking.tracking_path(complaint)
    with django_assert_num_queries(TRACK_PAGE_QUERIES):
        response = client.get(path)
    assert response.status_code == 200
    assert response.content.decode().count("처리기간 연장") == size // 2
    with django_assert_num_queries(TRACK_POST_QUERIES):
        response = client.post(
            TRACK, {"receipt_number": complaint.receipt_number, "phone": "010-1234-5678"}
        )
    assert response.status_code == 302


def _in_every_stage(road_type, roads_clerk, verifier):
    """One filing in each stage a citizen can find it in, with what that stage shows."""
    later = NOW + timedelta(hours=2)
    waiting = file_one(road_type, phone="010-5000-0001")
    assigned = services.assign(
        file_one(road_type, phone="010-5000-0002"),
        roads_clerk.staff_member,
        by=roads_clerk,
        now=NOW,
    )
    held = services.put_on_hold(
        file_one(road_type, phone="010-5000-0003"),
        reason="사진을 보내 주세요",
        answer_by=later + timedelta(days=7),
        by=roads_clerk,
        now=later,
    )
    closed = services.advance(assigned, by=roads_clerk, now=later)  # investigating
    closed = services.advance(closed, by=roads_clerk, now=later)  # verifying
    closed = services.close_with_result(
        closed, result_text="도로를 보수했습니다.", by=verifier, now=later
    )
    refused = services.refuse(
        file_one(road_type, phone="010-5000-0004"), reason="사유지입니다", by=roads_clerk, now=later
    )
    agency = Agency.objects.create(
        name="한국도로공사", phone="1588-2504", website="https://www.ex.co.kr"
    )
    moved = services.transfer_to_agency(
        file_one(road_type, phone="010-5000-0005"),
        agency,
        reason="고속도로",
        by=verifier,
        now=later,
    )
    return {
        waiting: "아직 정해지지 않았습니다",
        held: "사진을 보내 주세요",
        closed: "도로를 보수했습니다.",
        refused: "사유지입니다",
        moved: "1588-2504",
    }


def test_L2_tracking_and_receipt_pages_take_the_same_queries_in_every_stage(
    road_type, roads_clerk, verifier, django_assert_num_queries
):
    """The pages load only the columns they show; whatever the stage shows (the hold
    form, the result, the refusal's remedies, the other agency) is among them."""
    for complaint, shown in _in_every_stage(road_type, roads_clerk, verifier).items():
        with django_assert_num_queries(TRACK_PAGE_QUERIES):
            page = Client().get(tracking.tracking_path(complaint))
        assert page.status_code == 200 and shown in page.text, complaint.stage
        assert complaint.receipt_number in page.text
        with django_assert_num_queries(RECEIPT_PAGE_QUERIES):
            receipt = Client().get(tracking.receipt_url(complaint))
        assert receipt.status_code == 200 and complaint.title in receipt.text


# --- The tracking page is drawn for each visit (never kept in a shared cache) ------------
def test_C2_the_tracking_page_shows_a_new_stage_at_once(
    client, filed, roads_clerk, django_assert_num_queries
):
    path = tracking.tracking_path(filed)
    first = client.get(path).content.decode()
    assert "보완 요청" not in first
    with django_assert_num_queries(TRACK_PAGE_QUERIES):  # drawn again, not kept
        again = Client().get(path).content.decode()
    assert strip_volatile(again) == strip_volatile(first)
    services.put_on_hold(
        filed,
        reason="사진을 보내 주세요",
        answer_by=NOW + timedelta(days=7),
        by=roads_clerk,
        now=NOW + timedelta(hours=2),
    )
    assert "사진을 보내 주세요" in Client().get(path).content.decode()
