"""Who may see the dashboard, and bad input that must never give a 500."""

import pytest
from django.urls import reverse

from tests.dashboard.conftest import MARCH

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
LISTS = "/dashboard/lists/"


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_clerk_outsider_and_verifier_are_refused(roads_clerk, outsider, verifier, client_for):
    for user in (roads_clerk, outsider, verifier):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).get(LISTS).status_code == 403
        assert client_for(user).get(URL + "export/headline.csv").status_code == 403


def test_manager_and_superuser_see_every_department(county, frozen, manager, superuser, client_for):
    for user in (manager, superuser):
        response = client_for(user).get(URL + MARCH)
        assert response.status_code == 200
        assert response.context["scope"].department_id is None
        html = response.content.decode()
        assert "환경과" in html and "건설과" in html
        # The figures page names nobody; its work lists are one link away.
        assert "최*경" not in html and county["env"].receipt_number not in html
        query = MARCH[1:].replace("&", "&amp;")
        assert f'href="{LISTS}?{query}"' in html
        assert f'<a href="{URL}export/headline.csv?{query}">CSV' in html
        lists = client_for(user).get(LISTS + MARCH)
        assert lists["Cache-Control"] == "private, no-store"
        html = lists.content.decode()
        assert "최*경" in html  # the environment filing in the overdue list
        link = reverse("admin:complaints_complaint_change", args=[county["env"].pk])
        assert f'<a href="{link}">{county["env"].receipt_number}</a>' in html
        assert "최환경" not in html


def test_head_sees_own_department_only(county, frozen, roads_head, environment, client_for):
    response = client_for(roads_head).get(URL + MARCH)
    assert response.status_code == 200
    assert response.context["scope"].department_id == roads_head.staff_member.department_id
    html = response.content.decode()
    assert "환경과" not in html
    assert response.context["headline"].received == 6
    lists = client_for(roads_head).get(LISTS + MARCH).content.decode()
    assert "최*경" not in lists  # environment's overdue filing
    assert "장*고" in lists  # roads' late letter (M1)


def test_head_asking_for_another_department_is_refused_politely(
    county, frozen, roads_head, environment, client_for
):
    response = client_for(roads_head).get(f"{URL}{MARCH}&department={environment.pk}")
    assert response.status_code == 200
    assert response.context["scope"].department_id == roads_head.staff_member.department_id
    assert "다른 부서의 현황은 볼 수 없습니다" in response.content.decode()
    lists = client_for(roads_head).get(f"{LISTS}{MARCH}&department={environment.pk}")
    assert "다른 부서의 현황은 볼 수 없습니다" in lists.content.decode()
    assert "최*경" not in lists.content.decode()
    export = client_for(roads_head).get(
        f"{URL}export/overdue.csv{MARCH}&department={environment.pk}"
    )
    assert export.status_code == 400


def test_manager_filters_a_department(county, frozen, manager, environment, client_for):
    response = client_for(manager).get(f"{URL}{MARCH}&department={environment.pk}")
    assert response.context["scope"].department_id == environment.pk
    assert response.context["headline"].received == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=custom&start=2026-13-45&end=2026-03-31", "시작일을 2026-03-01처럼"),
        ("?period=custom&start=2026-03-31&end=2026-03-01", "시작일이 종료일보다 늦습니다"),
        ("?period=custom&start=2023-01-01&end=2026-03-31", "2년 이내로"),
        ("?period=custom&start=2026-03-01", "시작일과 종료일을 모두"),
        ("?period=decade", "기간을 목록에서"),
        ("?department=999999", "부서를 목록에서"),
        ("?department=abc", "부서를 목록에서"),
        ("?page=99999999999999999999", "쪽 번호가 너무 큽니다"),
        ("?page=-3", "1 이상"),
    ],
)
def test_bad_filters_give_a_korean_message_not_a_500(
    county, frozen, manager, client_for, query, message
):
    for url in (URL, LISTS):
        response = client_for(manager).get(url + query)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert 'id="filter-errors"' in html
        # The page still shows this month's figures, and its menu says so.
        assert response.context["scope"].period.first.isoformat() == "2026-03-01"
        assert '<option value="month" selected>' in html


def test_a_page_past_the_last_of_the_overdue_list_shows_the_first(
    county, frozen, manager, client_for
):
    response = client_for(manager).get(LISTS + "?page=7")
    assert "기한 경과 목록은 1쪽까지 있습니다" in response.content.decode()
    assert response.context["overdue_page"] == 1


def test_unknown_export_table_is_404(manager, client_for):
    assert client_for(manager).get(URL + "export/secrets.csv").status_code == 404
    assert client_for(manager).get(URL + "export/headline.pdf").status_code == 404
