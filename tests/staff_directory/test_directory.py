"""The public directory, the posters and the clerk's own page (V1 V2 V4 P2 P4)."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from reception.models import Commendation
from staff_directory.models import Presence, StaffMember
from tests.factories import DepartmentFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")

ME = "/staff/me/"
PRESENCE = "/staff/me/presence/"
PHOTO = "/staff/me/photo/"


@pytest.fixture
def absent_with_substitute(roads):
    substitute = StaffMemberFactory(
        department=roads,
        name="정대리",
        title="주무관",
        direct_line="031-839-2318",
        desk_row=2,
        desk_column=4,
    )
    absent = StaffMemberFactory(
        department=roads,
        name="한출장",
        title="팀장",
        presence=Presence.TRIP,
        presence_until=timezone.now() + datetime.timedelta(hours=3),
        substitute=substitute,
    )
    return absent, substitute


def test_index_lists_departments_and_reverses(client, roads, environment):
    assert reverse("staff_directory:index") == "/staff/"
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "건설과" in response.text and "환경과" in response.text


def test_search_finds_by_duties_and_name(client, roads_clerk, other_clerk):
    response = client.get("/staff/", {"q": "포트홀"})
    assert "김도로" in response.text and "이환경" not in response.text
    response = client.get("/staff/", {"q": "이환경"})
    assert "이환경" in response.text and "생활 쓰레기" in response.text
    response = client.get("/staff/", {"q": "없는업무입니다"})
    assert "담당자가 없습니다" in response.text


def test_search_bad_input_never_fails(client, roads_clerk):
    for q in ["x" * 500, "%", "'; DROP TABLE"]:
        assert client.get("/staff/", {"q": q}).status_code == 200
    # A NUL byte is refused before any view with a clear 400 (PostgreSQL cannot hold it).
    response = client.get("/staff/", {"q": "\x00"})
    assert response.status_code == 400
    assert "쓸 수 없는 문자" in response.text


def test_V1_department_page_shows_photo_name_title_duties_line(client, roads_clerk):
    response = client.get("/staff/construction/")
    assert response.status_code == 200
    text = response.text
    for expected in ["김도로", "주무관", "포트홀 신고 처리", "031-839-2314", "재실"]:
        assert expected in text
    member = roads_clerk.staff_member
    assert f'src="/staff/portraits/{member.pk}.svg"' in text
    assert 'alt="김도로 (사진 없음)"' in text


def test_V1_placeholder_portrait_is_svg_with_initials(client, roads_clerk):
    response = client.get(f"/staff/portraits/{roads_clerk.staff_member.pk}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "도로" in response.content.decode()
    assert client.get("/staff/portraits/999999.svg").status_code == 404


def test_unknown_department_is_the_korean_404(client):
    response = client.get("/staff/no-such-department/")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.text
    for suffix in ["seating/", "nameplates/"]:
        assert client.get("/staff/no-such-department/" + suffix).status_code == 404


def test_V1_seating_chart_lays_desks_on_the_grid(client, roads_clerk, roads_head):
    response = client.get("/staff/construction/seating/")
    assert response.status_code == 200
    text = response.text
    assert "직원 배치도" in text
    assert 'class="seat r-2 c-1' in text  # roads_clerk at row 2, column 1
    assert 'class="seat r-1 c-3 is-head' in text
    assert "cols-3" in text
    assert "print-a4.css" in text and "print-a3.css" not in text


def test_V1_seating_chart_a3_option_and_page_size(client, roads_clerk, settings):
    response = client.get("/staff/construction/seating/", {"size": "a3"})
    assert "print-a3.css" in response.text
    assert client.get("/staff/construction/seating/", {"size": "zz"}).status_code == 200
    css = (settings.BASE_DIR / "static/css/print-a4.css").read_text()
    assert "size: A4 landscape" in css
    assert "size: A3 landscape" in (settings.BASE_DIR / "static/css/print-a3.css").read_text()


def test_V1_seating_chart_is_public(client, roads_clerk):
    # The poster hangs at the department's entrance: nothing on it is secret.
    assert client.get("/staff/construction/seating/").status_code == 200


def test_V2_name_plates_one_per_member(client, roads_clerk, roads_head):
    StaffMemberFactory(department=roads_clerk.staff_member.department, is_active=False)
    response = client.get("/staff/construction/nameplates/")
    assert response.status_code == 200
    assert response.text.count('class="nameplate"') == 2
    for expected in ["김도로", "주무관", "포트홀 신고 처리", "박과장", "과장", "건설과 업무 총괄"]:
        assert expected in response.text


def test_V4_absent_staff_shows_substitute(client, absent_with_substitute):
    response = client.get("/staff/construction/")
    text = response.text
    assert "출장" in text
    assert "대신 찾아 주실 분" in text
    assert "정대리" in text and "좌석 2행 4열" in text and "031-839-2318" in text


def test_V4_absence_ends_at_until_time(client, absent_with_substitute):
    absent, _sub = absent_with_substitute
    StaffMember.objects.filter(pk=absent.pk).update(
        presence_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "대신 찾아 주실 분" not in client.get("/staff/construction/").text


def test_V4_absent_without_substitute_points_to_main_phone(client, roads):
    StaffMemberFactory(department=roads, presence=Presence.LEAVE)
    text = client.get("/staff/construction/").text
    assert "대리 근무자가 없습니다" in text and "031-839-2300" in text


# Measured: 3 queries on the department page (department, members with substitutes and
# commendation counts, the latest stories) for 5 and for 50 members; the search 2, the
# department list 1. The bound is the same for 5 and 50 members: it cannot grow with N.
QUERY_BOUND = 3


@pytest.mark.parametrize("members", [5, 50])
def test_department_page_queries_do_not_grow_with_staff(
    client, roads, members, django_assert_max_num_queries
):
    substitute = StaffMemberFactory(department=roads)
    StaffMemberFactory.create_batch(
        members - 1, department=roads, presence=Presence.FIELD, substitute=substitute
    )
    from reception import services as reception_services

    stories = [
        reception_services.submit_commendation(
            staff=member,
            story=f"친절하게 안내해 주셨습니다 {member.pk}",
            nominator_name="홍길동",
            now=timezone.now(),
        )
        for member in roads.members.all()
    ]
    Commendation.objects.filter(pk__in=[c.pk for c in stories]).update(status="approved")
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get("/staff/construction/")
    assert response.text.count("<article") == members
    assert response.text.count("칭찬 1건") == members
    assert response.text.count("대신 찾아 주실 분") == members - 1


@pytest.mark.parametrize("members", [5, 50])
@pytest.mark.parametrize(
    "url",
    [
        "/staff/",
        "/staff/?q=시험",
        "/staff/construction/seating/",
        "/staff/construction/nameplates/",
    ],
)
def test_directory_pages_queries_do_not_grow_with_staff(
    client, roads, members, url, django_assert_max_num_queries
):
    substitute = StaffMemberFactory(department=roads)
    StaffMemberFactory.create_batch(
        members - 1, department=roads, presence=Presence.FIELD, substitute=substitute
    )
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.get(url).status_code == 200


def test_P2_greeting_line_in_model_and_admin(roads_clerk, client_for, superuser):
    member = roads_clerk.staff_member
    assert member.greeting_line == "안녕하십니까, 건설과 김도로입니다."
    response = client_for(superuser).get("/admin/staff_directory/staffmember/")
    assert response.status_code == 200
    assert "안녕하십니까, 건설과 김도로입니다." in response.text


def test_P2_P4_staff_page_shows_greeting_and_transfer_sentences(
    client_for, roads_clerk, roads_head
):
    response = client_for(roads_clerk).get(ME)
    assert response.status_code == 200
    assert "안녕하십니까, 건설과 김도로입니다." in response.text
    assert (
        "지금 박과장 과장에게 연결해 드리겠습니다. "
        "통화 중 끊어지면 031-839-2301로 직접 전화해 주십시오." in response.text
    )


def test_P4_transfer_sentence_particle_follows_the_last_digit(roads):
    member = StaffMemberFactory(department=roads, name="오연결", direct_line="031-839-2310")
    assert member.transfer_sentence.endswith("031-839-2310으로 직접 전화해 주십시오.")
    member.direct_line = "031-839-2312"
    assert "2312로" in member.transfer_sentence
    member.direct_line = ""
    assert member.transfer_sentence == "지금 오연결 주무관에게 연결해 드리겠습니다."


def test_me_permission_trio(client, client_for, outsider, roads_clerk):
    anonymous = client.get(ME)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    assert client_for(outsider).get(ME).status_code == 403
    assert client_for(roads_clerk).get(ME).status_code == 200


def test_me_for_staff_without_record_explains(client_for, manager):
    response = client_for(manager).get(ME)
    assert response.status_code == 200
    assert "직원 명부에 등록되어 있지 않아" in response.text
    assert client_for(manager).post(PRESENCE, {"presence": "in"}).status_code == 403


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SEOUL), tick=False)
def test_V4_clerk_sets_presence_and_substitute(client_for, roads_clerk, roads_head):
    back = timezone.localtime() + datetime.timedelta(days=3)
    response = client_for(roads_clerk).post(
        PRESENCE,
        {
            "presence": Presence.FIELD,
            "until": back.strftime("%Y-%m-%dT15:00"),
            "note": "현장 점검",
            "substitute": roads_head.staff_member.pk,
        },
    )
    assert response.status_code == 302
    member = StaffMember.objects.get(pk=roads_clerk.staff_member.pk)
    assert member.presence == Presence.FIELD
    assert member.substitute == roads_head.staff_member
    assert member.presence_note == "현장 점검"
    assert timezone.localtime(member.presence_until).hour == 15
    # Back in the office clears the until-time.
    client_for(roads_clerk).post(PRESENCE, {"presence": Presence.IN_OFFICE})
    member.refresh_from_db()
    assert member.presence == Presence.IN_OFFICE and member.presence_until is None


def test_presence_form_rejects_get_mutation(client_for, roads_clerk, roads_head):
    client = client_for(roads_clerk)
    query = {"presence": Presence.LEAVE, "substitute": roads_head.staff_member.pk}
    assert client.get(PRESENCE, query).status_code == 405
    client.get(ME, query)
    assert StaffMember.objects.get(pk=roads_clerk.staff_member.pk).presence == Presence.IN_OFFICE


def test_presence_form_rejects_substitute_from_another_department(
    client_for, roads_clerk, other_clerk
):
    response = client_for(roads_clerk).post(
        PRESENCE, {"presence": Presence.LEAVE, "substitute": other_clerk.staff_member.pk}
    )
    assert response.status_code == 400
    assert "올바르게 선택해 주세요" in response.text or "선택" in response.text
    member = StaffMember.objects.get(pk=roads_clerk.staff_member.pk)
    assert member.presence == Presence.IN_OFFICE and member.substitute is None


def test_presence_form_requires_substitute_when_away(client_for, roads_clerk, roads_head):
    response = client_for(roads_clerk).post(PRESENCE, {"presence": Presence.LEAVE})
    assert response.status_code == 400
    assert "대리 근무자를 정해 주세요" in response.text


def test_presence_form_bad_values(client_for, roads_clerk):
    client = client_for(roads_clerk)
    for data in [{"presence": "moon"}, {"presence": "in", "until": "not-a-date"}, {}]:
        assert client.post(PRESENCE, data).status_code == 400


def _image_bytes(fmt="PNG", size=(800, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    buffer.seek(0)
    buffer.name = f"photo.{fmt.lower()}"
    return buffer


def test_photo_upload_is_resized_to_a_jpeg_card(client_for, roads_clerk, settings):
    response = client_for(roads_clerk).post(PHOTO, {"photo": _image_bytes()})
    assert response.status_code == 302
    member = StaffMember.objects.get(pk=roads_clerk.staff_member.pk)
    assert member.photo.name.startswith("staff/") and member.photo.name.endswith(".jpg")
    assert "photo" not in member.photo.name
    with Image.open(settings.MEDIA_ROOT / member.photo.name) as stored:
        assert stored.format == "JPEG" and stored.size == (240, 300)
    page = client_for(roads_clerk).get("/staff/construction/").text
    assert member.photo.url in page and 'alt="김도로 사진"' in page


def test_non_image_photo_is_refused_with_a_clear_message(client_for, roads_clerk):
    fake = io.BytesIO(b"%PDF-1.4 not an image at all")
    fake.name = "portrait.jpg"
    response = client_for(roads_clerk).post(PHOTO, {"photo": fake})
    assert response.status_code == 400
    assert "사진 파일이 아니거나 손상된 파일입니다" in response.text
    assert not StaffMember.objects.get(pk=roads_clerk.staff_member.pk).photo


def test_oversized_photo_is_refused_with_a_clear_message(client_for, roads_clerk):
    big = io.BytesIO(b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10))
    big.name = "big.jpg"
    response = client_for(roads_clerk).post(PHOTO, {"photo": big})
    assert response.status_code == 400
    assert "5MB 이하의 사진을 올려 주세요" in response.text


def test_truncated_image_is_refused(client_for, roads_clerk):
    data = _image_bytes("JPEG").getvalue()[:200]
    truncated = io.BytesIO(data)
    truncated.name = "cut.jpg"
    response = client_for(roads_clerk).post(PHOTO, {"photo": truncated})
    assert response.status_code == 400


def test_admin_changelists_and_scoping(client_for, superuser, roads_clerk, other_clerk):
    admin = client_for(superuser)
    for url in [
        "/admin/staff_directory/department/",
        "/admin/staff_directory/staffmember/",
        f"/admin/staff_directory/staffmember/{roads_clerk.staff_member.pk}/change/",
        "/admin/staff_directory/staffmember/?q=도로",
    ]:
        assert admin.get(url).status_code == 200, url
    clerk_list = client_for(roads_clerk).get("/admin/staff_directory/staffmember/")
    assert clerk_list.status_code == 200
    assert "김도로" in clerk_list.text and "이환경" not in clerk_list.text
    other = f"/admin/staff_directory/staffmember/{other_clerk.staff_member.pk}/change/"
    assert client_for(roads_clerk).get(other).status_code in (302, 404)


def test_admin_refuses_non_image_photo(client_for, superuser, roads):
    fake = io.BytesIO(b"GIF89a but then nonsense")
    fake.name = "x.gif"
    response = client_for(superuser).post(
        "/admin/staff_directory/staffmember/add/",
        {
            "department": roads.pk,
            "name": "가나다",
            "title": "주무관",
            "duties": "시험",
            "desk_row": 1,
            "desk_column": 1,
            "presence": "in",
            "is_active": "on",
            "photo": fake,
        },
    )
    assert response.status_code == 200
    assert "사진 파일이 아니거나 손상된 파일입니다" in response.text
    assert not StaffMember.objects.filter(name="가나다").exists()


def test_model_clean_refuses_foreign_substitute(roads_clerk, other_clerk):
    from django.core.exceptions import ValidationError

    member = roads_clerk.staff_member
    member.substitute = other_clerk.staff_member
    with pytest.raises(ValidationError):
        member.clean()


def test_english_pages_use_english_names(client, roads_clerk):
    client.cookies["django_language"] = "en"
    response = client.get("/staff/construction/")
    assert "Construction Division" in response.text and "Kim Doro" in response.text


def test_department_factory_is_usable():
    assert DepartmentFactory().slug.startswith("test-")


def test_P2_P4_in_english(roads_clerk, roads_head):
    from django.utils import translation

    with translation.override("en"):
        member = roads_clerk.staff_member
        assert member.greeting_line == "Hello, this is Kim Doro of the Construction Division."
        assert roads_head.staff_member.transfer_sentence == (
            "I will put you through to Park Gwajang (Head of Division) now. "
            "If the line drops, please call 031-839-2301 directly."
        )


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SEOUL), tick=False)
def test_presence_until_must_be_in_the_future(client_for, roads_clerk, roads_head):
    data = {"presence": Presence.FIELD, "substitute": roads_head.staff_member.pk}
    response = client_for(roads_clerk).post(PRESENCE, {**data, "until": "2026-11-24T09:00"})
    assert response.status_code == 400
    assert "복귀 예정 시각은 지금보다 뒤여야 합니다" in response.text
    response = client_for(roads_clerk).post(PRESENCE, {**data, "until": "2026-11-24T11:00"})
    assert response.status_code == 302


def test_admin_substitute_autocomplete_is_scoped_to_the_clerks_department(
    client_for, roads_clerk, roads_head, other_clerk
):
    response = client_for(roads_clerk).get(
        "/admin/autocomplete/",
        {
            "app_label": "staff_directory",
            "model_name": "staffmember",
            "field_name": "substitute",
            "term": "",
        },
    )
    assert response.status_code == 200
    names = {row["text"] for row in response.json()["results"]}
    assert any("박과장" in n for n in names) and not any("이환경" in n for n in names)


def test_departments_are_listed_in_their_order(client, roads, environment, lead_department):
    DepartmentFactory(name="기획과", slug="zz-planning", order=0)
    text = client.get("/staff/").text
    slugs = ("zz-planning", "civil-service", "construction", "environment")
    positions = [text.index(f'href="/staff/{slug}/"') for slug in slugs]
    assert positions == sorted(positions)


def test_admin_photo_upload_is_resized_and_kept_on_later_edits(client_for, superuser, roads):
    admin = client_for(superuser)
    form = {
        "department": roads.pk,
        "name": "사진김",
        "title": "주무관",
        "duties": "시험",
        "desk_row": 1,
        "desk_column": 1,
        "presence": "in",
        "is_active": "on",
    }
    response = admin.post(
        "/admin/staff_directory/staffmember/add/", {**form, "photo": _image_bytes("JPEG")}
    )
    assert response.status_code == 302
    member = StaffMember.objects.get(name="사진김")
    assert member.photo.name.endswith(".jpg") and member.photo.width == 240
    stored = member.photo.name
    response = admin.post(
        f"/admin/staff_directory/staffmember/{member.pk}/change/", {**form, "duties": "바뀜"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.duties == "바뀜" and member.photo.name == stored


def test_K2_only_approved_commendations_show_on_the_card(client, roads, manager):
    from reception import services as reception_services

    member = StaffMemberFactory(department=roads)
    now = timezone.now()
    kept = reception_services.submit_commendation(
        staff=member, story="어르신께 서류를 대신 써 주셨어요", nominator_name="박영희", now=now
    )
    reception_services.submit_commendation(
        staff=member, story="아직 검토 전인 사연", nominator_name="이철수", now=now
    )
    text = client.get("/staff/construction/").text
    assert "칭찬 1건" not in text and "어르신께 서류를" not in text
    assert f"/praise/?staff={member.pk}" in text  # the way to praise is always there

    reception_services.approve_commendations(
        Commendation.objects.filter(pk=kept.pk), by=manager, now=now
    )
    text = client.get("/staff/construction/").text
    assert "칭찬 1건" in text
    assert "어르신께 서류를 대신 써 주셨어요" in text
    assert "아직 검토 전인 사연" not in text
    assert "박○○" in text  # the nominator's name is not published
    assert f"/praise/?staff={member.pk}" in text
