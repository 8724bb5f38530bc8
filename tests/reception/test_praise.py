"""Commendations (K2): public form, manager approval, directory helpers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reception import services
from reception.models import Commendation, CommendationStatus

pytestmark = pytest.mark.django_db


def praise_data(member, /, **overrides):
    data = {
        "staff": str(member.pk),
        "story": "서류를 처음부터 끝까지 친절하게 안내해 주셨습니다.",
        "nominator_name": "정고객",
    }
    data.update(overrides)
    return data


def test_K2_praise_form_groups_staff_by_department_and_preselects(client, roads_clerk, other_clerk):
    member = roads_clerk.staff_member
    page = client.get(reverse("praise:new") + f"?staff={member.pk}").content.decode()
    assert '<optgroup label="건설과">' in page and '<optgroup label="환경과">' in page
    assert f'<option value="{member.pk}" selected>' in page
    # A nonsense id is ignored, not a 500.
    assert client.get(reverse("praise:new") + "?staff=abc").status_code == 200


def test_K2_citizen_commends_staff_pending_until_approved(
    client, client_for, roads_clerk, manager, now
):
    member = roads_clerk.staff_member
    response = client.post(reverse("praise:new"), praise_data(member))
    assert response.status_code == 302
    assert "고맙습니다" in client.get(response["Location"]).content.decode()
    item = Commendation.objects.get()
    assert item.status == CommendationStatus.PENDING and item.staff == member
    assert not Commendation.objects.approved().filter(staff=member).exists()
    # A manager approves it in the admin (an action calling the service).
    admin = client_for(manager)
    response = admin.post(
        reverse("admin:reception_commendation_changelist"),
        {"action": "approve", "_selected_action": [item.pk]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == CommendationStatus.APPROVED and item.reviewed_by == manager
    assert Commendation.objects.approved().filter(staff=member).count() == 1


def test_K2_only_managers_approve(roads_clerk, now):
    item = services.submit_commendation(
        staff=roads_clerk.staff_member, story="친절했습니다 정말로요", nominator_name="정", now=now
    )
    with pytest.raises(PermissionDenied):
        services.approve_commendations([item], by=roads_clerk, now=now)
    item.refresh_from_db()
    assert item.status == CommendationStatus.PENDING


def test_K2_rejected_commendations_do_not_count(roads_clerk, manager, now):
    member = roads_clerk.staff_member
    item = services.submit_commendation(
        staff=member, story="친절했습니다 정말로요", nominator_name="정", now=now
    )
    assert services.reject_commendations([item], by=manager, now=now) == 1
    assert services.approve_commendations([item], by=manager, now=now) == 0
    assert not Commendation.objects.approved().filter(staff=member).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"story": ""},
        {"story": "짧음"},
        {"story": "가" * 2001},
        {"nominator_name": ""},
        {"nominator_name": "가" * 31},
        {"staff": ""},
        {"staff": "999999"},
        {"staff": "<script>"},
    ],
)
def test_K2_bad_praise_input_gets_a_message(client, roads_clerk, overrides):
    response = client.post(
        reverse("praise:new"), praise_data(roads_clerk.staff_member, **overrides)
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Commendation.objects.exists()


def test_K2_inactive_staff_cannot_be_commended(client, roads_clerk):
    member = roads_clerk.staff_member
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = client.post(reverse("praise:new"), praise_data(member))
    assert response.status_code == 200
    assert not Commendation.objects.exists()


def test_K2_praise_spam_flood_gets_429(client, roads_clerk, settings):
    limit = int(settings.PUBLIC_POST_RATE.split("/")[0])
    for _ in range(limit):
        client.post(reverse("praise:new"), praise_data(roads_clerk.staff_member, story=""))
    response = client.post(reverse("praise:new"), praise_data(roads_clerk.staff_member))
    assert response.status_code == 429
