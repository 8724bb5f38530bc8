"""``seed_demo``: the county's demo directory and logins, idempotent and extensible."""

import io
import sys
import types

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from staff_directory.management.commands import seed_demo
from staff_directory.models import Department, Presence, StaffMember
from staff_directory.roles import department_of, is_manager, is_verifier

pytestmark = pytest.mark.django_db


def run(**kwargs) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out, **kwargs)
    return out.getvalue()


def counts():
    return (
        Department.objects.count(),
        StaffMember.objects.count(),
        get_user_model().objects.count(),
        StaffMember.objects.exclude(presence=Presence.IN_OFFICE).count(),
    )


def test_seed_demo_builds_the_county_and_is_idempotent(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_SEEDERS", [])
    output = run()
    first = counts()
    assert first[0] >= 10 and 35 <= first[1] <= 50 and first[3] >= 4
    assert Department.objects.get(is_lead=True).name == "민원봉사과"
    assert all(d.main_phone.startswith("031-839-") for d in Department.objects.all())
    for member in StaffMember.objects.exclude(presence=Presence.IN_OFFICE):
        assert member.substitute.department_id == member.department_id
    assert "clerk" in output and "verifier" in output and "manager" in output
    assert seed_demo.DEMO_PASSWORD in output
    run()
    assert counts() == first


def test_seed_demo_logins_have_their_roles(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_SEEDERS", [])
    run()
    users = get_user_model().objects
    clerk = users.get(username="clerk")
    assert department_of(clerk).name == "건설과" and clerk.is_staff
    assert is_verifier(users.get(username="verifier"))
    assert department_of(users.get(username="verifier")).is_lead
    assert is_manager(users.get(username="manager"))
    assert users.get(username="admin").is_superuser
    assert clerk.check_password(seed_demo.DEMO_PASSWORD)


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_calls_installed_seeders_and_skips_missing(monkeypatch):
    calls = []
    module = types.ModuleType("demo_seeders_for_test")
    module.plain = lambda: calls.append("plain")

    def with_stdout(stdout):
        calls.append("stdout")
        stdout.write("extra demo rows")

    module.with_stdout = with_stdout
    monkeypatch.setitem(sys.modules, "demo_seeders_for_test", module)
    monkeypatch.setattr(
        seed_demo,
        "DEMO_SEEDERS",
        [
            "not_an_app.demo.seed",
            "demo_seeders_for_test.plain",
            "demo_seeders_for_test.with_stdout",
        ],
    )
    output = run()
    assert calls == ["plain", "stdout"]
    assert "extra demo rows" in output


def test_a_broken_seeder_module_is_not_hidden(monkeypatch):
    module = types.ModuleType("broken_demo_for_test")
    monkeypatch.setitem(sys.modules, "broken_demo_for_test", module)

    def seed():
        import nonexistent_dependency_xyz  # noqa: F401

    module.seed = seed
    monkeypatch.setattr(seed_demo, "DEMO_SEEDERS", ["broken_demo_for_test.seed"])
    with pytest.raises(ModuleNotFoundError):
        run()
