"""API keys in the admin: managers issue (shown once) and revoke; clerks cannot."""

import pytest

from open311.models import ApiKey
from open311.services import hash_key

pytestmark = pytest.mark.django_db
ADD = "/admin/open311/apikey/add/"
CHANGELIST = "/admin/open311/apikey/"


def test_manager_issues_a_key_shown_once_and_stored_hashed(client_for, manager):
    client = client_for(manager)
    response = client.post(ADD, {"name": "call-centre", "contact": "031-839-2114"}, follow=True)
    assert response.status_code == 200
    key = ApiKey.objects.get(name="call-centre")
    shown = [str(m) for m in response.context["messages"]]
    raw = next(text.rsplit(" ", 1)[-1] for text in shown if key.prefix in text)
    assert key.key_hash == hash_key(raw)
    assert key.created_by == manager
    assert raw not in client.get(f"{CHANGELIST}{key.pk}/change/").content.decode()


def test_manager_revokes_keys_with_the_admin_action(client_for, manager, key_pair):
    key, _raw = key_pair
    response = client_for(manager).post(
        CHANGELIST, {"action": "revoke", "_selected_action": [key.pk]}, follow=True
    )
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_changelist_smoke(client_for, manager, key_pair):
    response = client_for(manager).get(CHANGELIST)
    assert response.status_code == 200
    assert key_pair[0].prefix in response.content.decode()
    assert client_for(manager).get("/admin/open311/submission/").status_code == 200


@pytest.mark.parametrize("who", ["roads_clerk", "outsider"])
def test_clerks_and_outsiders_cannot_manage_keys(client_for, who, request):
    user = request.getfixturevalue(who)
    response = client_for(user).get(CHANGELIST)
    assert response.status_code in (302, 403)
    assert client_for(user).post(ADD, {"name": "x"}).status_code in (302, 403)
    assert not ApiKey.objects.filter(name="x").exists()


def test_an_over_long_contact_is_refused_with_a_message_not_cut(client_for, manager):
    client = client_for(manager)
    response = client.post(ADD, {"name": "call-centre", "contact": "0" * 201})
    assert response.status_code == 200
    assert not ApiKey.objects.exists()
    assert "errorlist" in response.content.decode()


def test_the_key_service_refuses_an_over_long_contact_rather_than_cutting_it(manager):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from open311.services import issue_key

    with pytest.raises(ValidationError) as refused:
        issue_key("call-centre", contact="0" * 201, by=manager, now=timezone.now())
    assert "contact" in refused.value.message_dict
    assert not ApiKey.objects.exists()
