"""Roles are data: groups, permissions and the helpers other apps use."""

import pytest
from django.contrib.auth.models import Group

from staff_directory import roles
from staff_directory.roles import (
    CLERK,
    MANAGER,
    VERIFIER,
    department_of,
    ensure_roles,
    is_manager,
    is_verifier,
    staff_member_of,
)

pytestmark = pytest.mark.django_db


def test_migrate_created_the_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {CLERK, VERIFIER, MANAGER}


def test_ensure_roles_is_idempotent():
    first = {
        g: set(x.permissions.values_list("codename", flat=True)) for g, x in ensure_roles().items()
    }
    second = {
        g: set(x.permissions.values_list("codename", flat=True)) for g, x in ensure_roles().items()
    }
    assert first == second
    assert Group.objects.filter(name__in=[CLERK, VERIFIER, MANAGER]).count() == 3
    assert "change_staffmember" in first[CLERK]
    assert "view_department" in first[MANAGER]
    assert "add_periodictask" in first[MANAGER]


def test_permissions_of_missing_models_are_ignored(monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, CLERK, {"nowhere": ["view_ghost", "view_*"]})
    groups = ensure_roles()
    assert groups[CLERK].permissions.count() == 0


def test_grant_adds_to_the_mapping(monkeypatch):
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", {r: {} for r in roles.ROLES})
    roles.grant(CLERK, "staff_directory", "view_department", "view_department")
    assert roles.ROLE_PERMISSIONS[CLERK] == {"staff_directory": ["view_department"]}
    with pytest.raises(ValueError):
        roles.grant("janitor", "staff_directory", "view_department")
    groups = ensure_roles()
    assert list(groups[CLERK].permissions.values_list("codename", flat=True)) == ["view_department"]


def is_clerk(user) -> bool:
    return roles.has_role(user, CLERK)


def test_cast_roles(roads_clerk, roads_head, other_clerk, verifier, manager, outsider, superuser):
    assert is_clerk(roads_clerk) and not is_verifier(roads_clerk) and not is_manager(roads_clerk)
    assert is_verifier(verifier) and not is_manager(verifier)
    assert is_manager(manager) and not is_verifier(manager)
    assert not any(f(outsider) for f in (is_clerk, is_verifier, is_manager))
    assert all(f(superuser) for f in (is_clerk, is_verifier, is_manager))
    assert department_of(roads_clerk).name == "건설과"
    assert department_of(roads_head) == department_of(roads_clerk)
    assert roads_head.staff_member.is_head
    assert department_of(other_clerk).name == "환경과"
    assert department_of(verifier).is_lead
    assert department_of(manager) is None and department_of(outsider) is None
    assert staff_member_of(roads_clerk) == roads_clerk.staff_member
    assert all(u.is_staff for u in (roads_clerk, roads_head, other_clerk, verifier, manager))
    assert not outsider.is_staff and not outsider.groups.exists()


def test_anonymous_and_inactive_have_no_role(roads_clerk):
    from django.contrib.auth.models import AnonymousUser

    assert not is_clerk(AnonymousUser()) and department_of(AnonymousUser()) is None
    assert not is_clerk(None)
    roads_clerk.is_active = False
    assert not is_clerk(roads_clerk)


def test_role_lookup_is_cached(roads_clerk, django_assert_num_queries):
    is_clerk(roads_clerk)
    with django_assert_num_queries(0):
        is_clerk(roads_clerk)
        is_manager(roads_clerk)


def test_client_for_logs_in(client_for, roads_clerk):
    client = client_for(roads_clerk)
    assert client.session["_auth_user_id"] == str(roads_clerk.pk)


def test_roles_follow_migrate_once_all_permissions_exist():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    Group.objects.filter(name__in=roles.ROLES).delete()
    first = apps.get_app_config("auth")
    post_migrate.send(sender=first, app_config=first, using="default")
    assert not Group.objects.filter(name=CLERK).exists()  # not yet: other apps follow
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    post_migrate.send(sender=last, app_config=last, using="default")
    assert Group.objects.get(name=CLERK).permissions.filter(codename="view_department").exists()
