"""factory_boy factories for the people and places every app's tests need."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from staff_directory.models import Department, Presence, StaffMember

TEST_PASSWORD = "correct-horse-battery-staple"

SURNAMES = "김이박최정강조윤장임한오서신권황안송전홍"
GIVEN_NAMES = ["민준", "서연", "도윤", "지우", "하준", "서윤", "시우", "지민", "은우", "수아"]


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``UserFactory(groups=["clerk"])`` puts them in role groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@yeoncheon.go.kr")
    first_name = ""
    last_name = ""
    is_staff = False
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for name in extracted:
            group, _created = Group.objects.get_or_create(name=name)
            self.groups.add(group)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"시험{n}과")
    name_en = factory.Sequence(lambda n: f"Test Division {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    location = "연천군청 본관"
    floor = "2층"
    main_phone = factory.Sequence(lambda n: f"031-839-{2000 + n % 8000:04d}")
    is_lead = False


class StaffMemberFactory(factory.django.DjangoModelFactory):
    """A directory entry; without ``user=`` it has no login (most staff never log in)."""

    class Meta:
        model = StaffMember

    department = factory.SubFactory(DepartmentFactory)
    user = None
    name = factory.Sequence(
        lambda n: SURNAMES[n % len(SURNAMES)] + GIVEN_NAMES[(n // len(SURNAMES)) % 10]
    )
    title = "주무관"
    duties = factory.Sequence(lambda n: f"시험 업무 {n}")
    direct_line = factory.Sequence(lambda n: f"031-839-{3000 + n % 7000:04d}")
    desk_row = factory.Sequence(lambda n: 1 + (n // 6) % 10)
    desk_column = factory.Sequence(lambda n: 1 + n % 6)
    presence = Presence.IN_OFFICE
