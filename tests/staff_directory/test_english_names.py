"""English names on English pages (V1): the demo directory has an English value for every
name a citizen reads, and the English pages, search and names use it."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from staff_directory.management.commands import seed_demo
from staff_directory.models import Department, StaffMember

pytestmark = pytest.mark.django_db

HANGUL = re.compile(r"[가-힣]")


@pytest.fixture
def demo_directory(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_SEEDERS", [])
    call_command("seed_demo", "--force", stdout=io.StringIO())


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_V1_every_demo_name_has_its_english_value(demo_directory):
    for department in Department.objects.all():
        for field in ("name_en", "location_en", "floor_en", "duties_en"):
            value = getattr(department, field)
            assert value and not HANGUL.search(value), (department.name, field)
    for member in StaffMember.objects.all():
        for field in ("name_en", "duties_en"):
            value = getattr(member, field)
            assert value and not HANGUL.search(value), (member.name, field)


def test_V1_a_person_reads_in_the_active_language(demo_directory):
    member = StaffMember.objects.get(name="이준호")
    with translation.override("en"):
        assert str(member) == "Lee Junho (Officer)"
        assert member.display_duties.startswith("Road occupation permits")
    with translation.override("ko"):
        assert str(member) == "이준호 (주무관)"
        assert member.display_duties.startswith("도로 점용 허가")


def test_V1_an_entered_english_title_wins_over_the_built_in_one(demo_directory):
    member = StaffMember.objects.get(name="이준호")
    member.title = "도로관리원"
    member.title_en = "Road Warden"
    with translation.override("en"):
        assert str(member) == "Lee Junho (Road Warden)"
    with translation.override("ko"):
        assert str(member) == "이준호 (도로관리원)"


def test_V1_english_department_page_has_no_korean_names(client, demo_directory):
    html = english(client).get("/staff/construction/").text
    for text in (
        "Construction Division",
        "Yeoncheon County Office Main building, 3rd floor",
        "Road building and repair",
        "Lee Junho",
        "Officer",
        "Road occupation permits",
    ):
        assert text in html
    for korean in ("건설과", "본관", "주무관", "이준호", "도로 점용"):
        assert korean not in html


def test_V1_korean_department_page_keeps_the_korean_names(client, demo_directory):
    html = client.get("/staff/construction/").text
    for text in ("건설과", "본관 3층", "이준호", "주무관", "도로 점용 허가"):
        assert text in html
    assert "Road occupation permits" not in html


def test_V1_english_index_and_seating_chart_read_in_english(client, demo_directory):
    english(client)
    index = client.get("/staff/").text
    assert "Main building, 1st floor" in index and "본관" not in index
    seating = client.get("/staff/construction/seating/").text
    assert "Road occupation permits" in seating and "도로 점용" not in seating


@pytest.mark.parametrize("word", ["road", "rubbish", "passport"])
def test_V1_the_english_hint_words_find_people(client, demo_directory, word):
    html = english(client).get("/staff/", {"q": word}).text
    assert "Type a task or a name, for example: road, rubbish, passport." in html
    assert "Nobody handles that" not in html
    found = StaffMember.objects.filter(duties_en__icontains=word)
    assert found.exists()
    for member in found:
        assert member.name_en in html


@pytest.mark.parametrize("word", ["도로", "쓰레기", "여권"])
def test_V1_the_korean_hint_words_find_people(client, demo_directory, word):
    html = client.get("/staff/", {"q": word}).text
    assert "담당자가 없습니다" not in html
    for member in StaffMember.objects.filter(duties__icontains=word):
        assert member.name in html
