"""Citizen pages kept rendered in the shared cache (pagecache/__init__.py).

What a citizen must never notice: a kept page shows what is true now, works like a fresh
one (its forms carry the visitor's own CSRF token), speaks the visitor's language and
text size, and nothing personal is ever kept.
"""

import re

import pytest
from django.test import Client

from staff_directory.models import Presence
from tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/staff/"
DEPARTMENT = "/staff/construction/"


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_V1_a_second_visitor_gets_the_directory_without_a_query(roads, django_assert_num_queries):
    StaffMemberFactory(department=roads, name="김도로")
    first = Client().get(DEPARTMENT)
    with django_assert_num_queries(0):
        second = Client().get(DEPARTMENT)
    assert second.status_code == 200
    assert "김도로" in second.text
    # Apart from the visitors' own CSRF tokens the two pages are the same.
    assert re.sub(r'value="[A-Za-z0-9]{64}"', "", first.text) == re.sub(
        r'value="[A-Za-z0-9]{64}"', "", second.text
    )


def test_a_kept_page_carries_the_visitors_own_working_csrf_token(roads):
    Client().get(DEPARTMENT)  # kept
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(DEPARTMENT)
    token = csrf_token_in(page.text)
    assert "__portal_" not in page.text
    assert "csrftoken" in page.cookies  # the cookie that goes with the token
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": DEPARTMENT, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert "Construction Division" in visitor.get(DEPARTMENT).text


def test_V4_a_presence_change_shows_at_once(roads):
    member = StaffMemberFactory(department=roads, name="정민수")

    def card() -> str:
        return Client().get(DEPARTMENT).text.split("정민수", 1)[1][:400]

    assert "재실" in card() and "출장" not in card()
    member.presence = Presence.TRIP
    member.save()
    assert "출장" in card() and "재실" not in card()


def test_V1_a_new_department_shows_in_the_directory_at_once(roads):
    assert "환경과" not in Client().get(DIRECTORY).text
    from tests.factories import DepartmentFactory

    DepartmentFactory(name="환경과", slug="environment-new")
    assert "환경과" in Client().get(DIRECTORY).text


def test_each_language_and_text_size_is_kept_apart(roads):
    korean = Client().get(DEPARTMENT)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(DEPARTMENT)
    assert '<html lang="ko"' in korean.text and '<html lang="en"' in english.text
    assert '<html lang="ko"' in Client().get(DEPARTMENT).text
    large = Client()
    large.cookies["large_text"] = "1"
    assert 'class="text-large"' in large.get(DEPARTMENT).text
    assert 'class="text-large"' not in Client().get(DEPARTMENT).text


def test_signed_in_staff_and_searches_are_not_served_from_the_cache(
    roads, roads_clerk, client_for, django_assert_max_num_queries
):
    Client().get(DIRECTORY)
    staff = client_for(roads_clerk)
    with django_assert_max_num_queries(20) as captured:
        staff.get(DIRECTORY)
    assert len(captured) > 0  # the session and the page's own queries
    StaffMemberFactory(department=roads, name="검색대상")
    with django_assert_max_num_queries(20) as captured:
        found = Client().get(DIRECTORY, {"q": "검색대상"})
    assert len(captured) > 0 and "검색대상" in found.text


def test_a_missing_page_is_not_kept(db, django_assert_max_num_queries):
    assert Client().get("/staff/no-such-department/").status_code == 404
    with django_assert_max_num_queries(5) as captured:
        assert Client().get("/staff/no-such-department/").status_code == 404
    assert len(captured) > 0


def test_the_page_cache_can_be_switched_off(roads, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    Client().get(DEPARTMENT)
    with django_assert_max_num_queries(10) as captured:
        Client().get(DEPARTMENT)
    assert len(captured) > 0


def test_another_processs_change_shows_here_within_the_recheck_time(
    roads, monkeypatch, django_assert_num_queries
):
    """A change made by another web process reaches this one through the shared
    generation, which this process asks for again after PUBLIC_PAGE_RECHECK_SECONDS."""
    from django.core.cache import cache

    import pagecache

    clock = [1000.0]
    monkeypatch.setattr(pagecache, "_clock", lambda: clock[0])
    StaffMemberFactory(department=roads, name="정민수")
    Client().get(DEPARTMENT)  # drawn and remembered here
    # Another process renames the member: its signal bumps the shared generation only.
    roads.members.filter(name="정민수").update(name="정민호")
    cache.incr(pagecache.GENERATION_KEY)
    with django_assert_num_queries(0):
        assert "정민수" in Client().get(DEPARTMENT).text  # trusted for now
    clock[0] += 1.0
    assert "정민호" in Client().get(DEPARTMENT).text  # asked again, drawn again


def test_L2_a_citizens_tracking_page_is_never_kept_in_the_shared_cache(
    roads, lead_department, roads_clerk, monkeypatch
):
    """The tracking page carries the filing's title, result and hold reason: it is drawn
    for each visit and nothing of it is written to the cache other processes share."""
    from datetime import timedelta

    from django.core.cache import cache

    from complaints import services, tracking
    from tests.complaints.factories import NOW, ComplaintTypeFactory, file_one

    road_type = ComplaintTypeFactory(
        code="p-road", handling_department=roads, lead_department=lead_department
    )
    complaint = file_one(road_type, title="우리 집 앞 하수구 악취", phone="010-1234-5678")
    complaint = services.assign(
        complaint, roads_clerk.staff_member, by=roads_clerk, now=NOW + timedelta(minutes=30)
    )
    complaint = services.put_on_hold(
        complaint,
        reason="집 앞 사진을 보내 주세요",
        answer_by=NOW + timedelta(days=7),
        by=roads_clerk,
        now=NOW + timedelta(hours=1),
    )
    stored: list[str] = []
    for method in ("set", "set_many", "add", "get_or_set"):
        original = getattr(cache, method)

        def spy(*args, _original=original, **kwargs):
            stored.append(repr(args) + repr(kwargs))
            return _original(*args, **kwargs)

        monkeypatch.setattr(cache, method, spy)
    path = tracking.tracking_path(complaint)
    for _visit in range(2):
        page = Client().get(path)
        assert page.status_code == 200
        assert "하수구 악취" in page.text and "사진을 보내 주세요" in page.text
    assert not [value for value in stored if "하수구" in value or "사진을 보내" in value]
