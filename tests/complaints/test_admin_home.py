"""The admin home is the clerk's desk: every staff tool one link away, my filings by
urgency, the new ones of my department, and the verifier's waiting list (H1 V4 P2 C2)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from tests.complaints.factories import file_one

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


def links(response) -> set[str]:
    import re

    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def test_H1_V4_staff_tools_are_one_link_from_the_admin_home(client_for, roads_clerk):
    found = links(client_for(roads_clerk).get(HOME))
    assert reverse("complaints_staff:intake") in found
    assert reverse("staff_directory:me") in found
    assert reverse("reception:desk") in found
    assert reverse("admin:complaints_complaint_changelist") in found
    assert reverse("dashboard:index") not in found  # managers only


def test_C2_manager_home_links_the_dashboard(client_for, manager):
    assert reverse("dashboard:index") in links(client_for(manager).get(HOME))


def test_C2_home_lists_my_filings_and_the_new_ones(client_for, roads_clerk, road_type):
    now = timezone.now()
    mine = file_one(road_type, now=now, arrived_at=now - timedelta(minutes=5))
    services.assign(mine, roads_clerk.staff_member, by=roads_clerk, now=now)
    new = file_one(road_type, now=now, arrived_at=now - timedelta(minutes=3), title="새 민원")
    response = client_for(roads_clerk).get(HOME)
    assert [c.pk for c in response.context["mine"]] == [mine.pk]
    assert [c.pk for c in response.context["new"]] == [new.pk]
    found = links(response)
    for c in (mine, new):
        assert reverse("admin:complaints_complaint_change", args=[c.pk]) in found


def test_C2_verifier_home_lists_filings_waiting_for_verification(
    client_for, roads_clerk, verifier, road_type
):
    now = timezone.now()
    c = file_one(road_type, now=now, arrived_at=now - timedelta(minutes=5))
    c = services.assign(c, roads_clerk.staff_member, by=roads_clerk, now=now)
    c = services.advance(c, by=roads_clerk, now=now)
    c = services.advance(c, by=roads_clerk, now=now)
    response = client_for(verifier).get(HOME)
    assert [x.pk for x in response.context["verifying"]] == [c.pk]
    assert reverse("admin:complaints_complaint_change", args=[c.pk]) in links(response)
