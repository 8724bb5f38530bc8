"""Admin screens for reception work: smoke, department scope, actions (V4 V5 M2 K2)."""

import pytest
from django.urls import reverse

from reception import services
from reception.models import CallbackState, Memo

pytestmark = pytest.mark.django_db


@pytest.fixture
def memos(roads_clerk, other_clerk, now):
    def make(owner, caller):
        return services.record_memo(
            owner=owner.staff_member,
            caller_name=caller,
            purpose="문의",
            contacted_at=now,
            callback_needed=True,
            phone="+821098765432",
            number_read_back=True,
            taken_by=owner,
            now=now,
        )

    return make(roads_clerk, "도로문의자"), make(other_clerk, "환경문의자")


CHANGELISTS = [
    "admin:reception_memo_changelist",
    "admin:reception_consultation_changelist",
    "admin:reception_boardpost_changelist",
    "admin:reception_boardsweep_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_V4_M2_changelists_open_for_clerk_and_manager(
    client, client_for, roads_clerk, manager, outsider, memos, name
):
    url = reverse(name)
    assert client.get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 302  # not staff: admin login
    assert client_for(roads_clerk).get(url).status_code == 200
    assert client_for(manager).get(url).status_code == 200


def test_K2_commendation_changelist_is_for_managers(client_for, roads_clerk, manager):
    url = reverse("admin:reception_commendation_changelist")
    assert client_for(roads_clerk).get(url).status_code == 403
    assert client_for(manager).get(url).status_code == 200


def test_V4_memo_changelist_is_scoped_to_the_department(client_for, roads_clerk, manager, memos):
    # Caller names are masked in the list (personal data); the memo itself shows them.
    html = client_for(roads_clerk).get(reverse("admin:reception_memo_changelist")).content
    assert "도***자".encode() in html and "환***자".encode() not in html
    assert "도로문의자".encode() not in html
    html = client_for(manager).get(reverse("admin:reception_memo_changelist")).content
    assert "도***자".encode() in html and "환***자".encode() in html
    other = memos[1]
    url = reverse("admin:reception_memo_change", args=[other.pk])
    assert client_for(roads_clerk).get(url).status_code in {302, 404}


def test_V4_admin_action_closes_only_own_department(client_for, roads_clerk, memos):
    own, other = memos
    response = client_for(roads_clerk).post(
        reverse("admin:reception_memo_changelist"),
        {"action": "mark_done", "_selected_action": [own.pk, other.pk]},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.callback_state == CallbackState.DONE
    assert other.callback_state == CallbackState.PENDING


def test_V4_overdue_filter(client_for, roads_clerk, memos):
    url = reverse("admin:reception_memo_changelist") + "?overdue=yes"
    assert client_for(roads_clerk).get(url).status_code == 200


def test_V4_memos_are_not_added_or_deleted_in_the_admin(client_for, superuser, memos):
    client = client_for(superuser)
    assert client.get(reverse("admin:reception_memo_add")).status_code == 403
    memo = memos[0]
    assert client.get(reverse("admin:reception_memo_delete", args=[memo.pk])).status_code == 403
    assert Memo.objects.count() == 2
