"""Demo seeding, the type and access-log admin screens (O1 K4 C1)."""

import pytest
from django.urls import reverse

from complaints.demo import seed
from complaints.models import AccessLog, Complaint, ComplaintType, Kind, Stage, StageEvent

pytestmark = pytest.mark.django_db


def test_O1_C1_K4_demo_seed_is_idempotent(roads, environment, lead_department, roads_clerk):
    seed()
    first = Complaint.objects.count()
    events = StageEvent.objects.count()
    assert first >= 3
    seed()
    assert Complaint.objects.count() == first
    assert StageEvent.objects.count() == events
    stages = set(Complaint.objects.values_list("stage", flat=True))
    assert {Stage.RECEIVED, Stage.ASSIGNED} <= stages
    kinds = set(ComplaintType.objects.values_list("kind", flat=True))
    assert {Kind.PETITION, Kind.SERVICE, Kind.SUGGESTION} <= kinds


@pytest.mark.parametrize(
    ("who", "status"),
    [("roads_clerk", 200), ("manager", 200), ("superuser", 200), ("outsider", 302)],
)
def test_O1_type_list_in_the_admin(client_for, request, who, status):
    user = request.getfixturevalue(who)
    url = reverse("admin:complaints_complainttype_changelist")
    assert client_for(user).get(url).status_code == status


@pytest.mark.parametrize(("who", "status"), [("roads_clerk", 403), ("manager", 200)])
def test_access_log_is_for_managers(client_for, request, who, status):
    user = request.getfixturevalue(who)
    url = reverse("admin:complaints_accesslog_changelist")
    assert client_for(user).get(url).status_code == status
    assert not AccessLog.objects.exists()
