"""Staff roles as data: groups and the permissions each one holds.

Four kinds of staff use the portal, all through the Django admin (``is_staff=True``):

* **clerk** (``CLERK``): sees and works on their own department's records;
* **verifier** (``VERIFIER``): a clerk of the lead department (민원봉사과), who receives
  filings and verifies investigation results;
* **manager** (``MANAGER``): reads everything and edits rules and schedules;
* **superuser**: everything (Django's own flag, not a group).

``ROLE_PERMISSIONS`` maps a group name to ``{app_label: [codename, ...]}``. A codename that
ends in ``*`` is a prefix: ``"view_*"`` grants every view permission of that app. Apps
add their own entries with :func:`grant` from their ``AppConfig.ready()``;
:func:`ensure_roles` (run after every ``migrate``) then makes each group hold exactly
the permissions the mapping names, skipping those whose models do not exist yet. The
three groups are owned by this code: give a person extra rights through their own user
permissions, not by editing these groups in the admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import Model, Q, QuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .models import Department, StaffMember

CLERK = "clerk"
VERIFIER = "verifier"
MANAGER = "manager"
ROLES = (CLERK, VERIFIER, MANAGER)

# Department work (clerk, verifier) is scoped to their own department in the admin's
# querysets; these permissions say only which screens they may open.
_DIRECTORY_WORK = ["view_department", "view_staffmember", "change_staffmember"]

ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    CLERK: {
        "staff_directory": list(_DIRECTORY_WORK),
        "complaints": ["view_complaint", "change_complaint", "view_complainttype"],
    },
    VERIFIER: {
        "staff_directory": list(_DIRECTORY_WORK),
        "complaints": ["view_complaint", "change_complaint", "view_complainttype"],
    },
    MANAGER: {
        "staff_directory": [
            "view_*",
            "add_department",
            "change_department",
            "add_staffmember",
            "change_staffmember",
        ],
        # Managers read everything; each app's models join as they are installed.
        "complaints": ["view_*", "add_complainttype", "change_complainttype"],
        "compensation": ["view_*"],
        # Change, for the retry action only: the outbox admin shows every row read-only.
        "notifications": ["view_*", "change_smsmessage", "change_emailmessage"],
        "surveys": ["view_*"],
        # Schedules (the board sweep times, reminders) are edited in the admin.
        "django_celery_beat": [
            "view_*",
            "add_periodictask",
            "change_periodictask",
            "add_crontabschedule",
            "change_crontabschedule",
            "add_intervalschedule",
            "change_intervalschedule",
        ],
    },
}


def grant(role: str, app_label: str, *codenames: str) -> None:
    """Add permissions to a role in the mapping (call from an app's ``ready()``)."""
    if role not in ROLE_PERMISSIONS:
        raise ValueError(f"unknown role {role!r}; roles are {ROLES}")
    wanted = ROLE_PERMISSIONS[role].setdefault(app_label, [])
    for codename in codenames:
        if codename not in wanted:
            wanted.append(codename)


def _permissions_for(mapping: dict[str, list[str]]) -> list[Permission]:
    condition = Q(pk__in=[])
    for app_label, codenames in mapping.items():
        exact = [c for c in codenames if not c.endswith("*")]
        if exact:
            condition |= Q(content_type__app_label=app_label, codename__in=exact)
        for prefix in (c[:-1] for c in codenames if c.endswith("*")):
            condition |= Q(content_type__app_label=app_label, codename__startswith=prefix)
    # Permissions of models that do not exist yet simply match nothing.
    return list(Permission.objects.filter(condition))


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and give each exactly its mapped permissions. Idempotent."""
    groups = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(ROLE_PERMISSIONS.get(role, {})))
        groups[role] = group
    return groups


def ensure_roles_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: once per migrate (or flush), after the last app's signal,
    when every app has created its permissions."""
    from django.apps import apps
    from django.db import router

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if with_models and getattr(sender, "label", None) != with_models[-1].label:
        return
    if not router.allow_migrate_model(using, Group):
        return
    ensure_roles()


def _role_names(user) -> frozenset[str]:
    # Cached on the user object: a page asks several times, the database answers once.
    cached = getattr(user, "_portal_role_names", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False):
            cached = frozenset()
        else:
            cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._portal_role_names = cached
    return cached


def has_role(user: AbstractBaseUser | AnonymousUser | None, role: str) -> bool:
    """Whether an active user holds a role (a superuser holds every role)."""
    if user is None or not getattr(user, "is_active", False):
        return False
    return bool(getattr(user, "is_superuser", False)) or role in _role_names(user)


def is_verifier(user) -> bool:
    """A lead-department verifier (or a superuser)."""
    return has_role(user, VERIFIER)


def is_manager(user) -> bool:
    """A manager, who reads everything (or a superuser)."""
    return has_role(user, MANAGER)


def staff_member_of(user) -> StaffMember | None:
    """The directory entry of a logged-in user, or None (citizens, outsiders, admins)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from .models import StaffMember

    try:
        member = user.staff_member
    except StaffMember.DoesNotExist:
        return None
    return member if member.is_active else None


def department_of(user) -> Department | None:
    """The department a user works in, or None."""
    member = staff_member_of(user)
    return member.department if member is not None else None


_Row = TypeVar("_Row", bound=Model)


def scoped_to_department(
    queryset: QuerySet[_Row], user, path: str = "department"
) -> QuerySet[_Row]:
    """The rows a user may see in a department-scoped list: managers (and superusers)
    every department's, other staff their own department's (``path`` leads from the row
    to its department), staff outside any department none."""
    if is_manager(user):
        return queryset
    department = department_of(user)
    if department is None:
        return queryset.none()
    return queryset.filter(**{path: department})
