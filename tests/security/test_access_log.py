"""Personal-data access log: written on every staff view or export, reviewed monthly by
managers at /complaints/staff/access-log/."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from complaints.models import AccessAction, AccessLog
from tests.security.conftest import SEOUL

pytestmark = pytest.mark.django_db
URL = "/complaints/staff/access-log/"


def test_review_url_is_stable():
    assert reverse("complaints_staff:access_review") == URL


def test_complaint_admin_detail_writes_a_view_row(client_for, roads_clerk, roads_complaint):
    url = reverse("admin:complaints_complaint_change", args=[roads_complaint.pk])
    response = client_for(roads_clerk).get(url, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.complaint, row.action, row.ip_address) == (
        roads_clerk,
        roads_complaint,
        AccessAction.VIEW,
        "10.0.0.7",
    )


def test_payout_detail_and_voucher_list_write_rows(client_for, manager, payout):
    client = client_for(manager)
    detail = client.get(reverse("admin:compensation_payout_change", args=[payout.pk]))
    assert detail.status_code == 200
    month = payout.approved_at.astimezone(SEOUL).strftime("%Y-%m")
    export = client.get(reverse("admin:compensation_payout_batch_csv") + f"?month={month}")
    assert export.status_code == 200
    actions = sorted(AccessLog.objects.values_list("action", flat=True))
    assert actions == [AccessAction.EXPORT, AccessAction.VIEW]
    assert set(AccessLog.objects.values_list("complaint_id", flat=True)) == {payout.complaint_id}


def test_review_is_for_managers_only(client, client_for, roads_clerk, verifier, outsider):
    assert client.get(URL).status_code == 302
    for user in (roads_clerk, verifier, outsider):
        assert client_for(user).get(URL).status_code == 403


def test_review_counts_per_account_for_the_chosen_month(
    client_for, manager, roads_clerk, other_clerk, roads_complaint
):
    def log(user, at, action=AccessAction.VIEW):
        AccessLog.objects.create(user=user, complaint=roads_complaint, at=at, action=action)

    november = datetime(2026, 11, 10, 10, 0, tzinfo=SEOUL)
    for _ in range(3):
        log(roads_clerk, november)
    log(roads_clerk, november, AccessAction.EXPORT)
    log(other_clerk, november)
    log(other_clerk, datetime(2026, 10, 31, 23, 59, tzinfo=SEOUL))  # October, Seoul time
    with time_machine.travel(datetime(2026, 11, 26, 9, 0, tzinfo=SEOUL), tick=False):
        client = client_for(manager)  # signed in that morning (idle sessions end)
        page = client.get(URL, {"month": "2026-11"})
    assert page.status_code == 200
    rows = {row["user__username"]: row for row in page.context["per_account"]}
    assert (rows["roads_clerk"]["total"], rows["roads_clerk"]["views"]) == (4, 3)
    assert rows["roads_clerk"]["exports"] == 1
    assert rows["other_clerk"]["total"] == 1
    narrowed = client.get(URL, {"month": "2026-11", "account": other_clerk.pk})
    assert len(narrowed.context["page"].object_list) == 1
    october = client.get(URL, {"month": "2026-10"})
    assert [r["user__username"] for r in october.context["per_account"]] == ["other_clerk"]


@pytest.mark.parametrize(
    "query",
    [
        {"month": "2026-13"},
        {"month": "abcd"},
        {"month": "9999999999-01"},
        {"month": "\x00"},
        {"account": "x"},
        {"account": "9" * 40},
        {"page": "-1"},
        {"page": "nan"},
    ],
)
def test_review_survives_bad_filters(client_for, manager, query):
    # A NUL byte in the query is refused up front (400); never a 500.
    status = client_for(manager).get(URL, query).status_code
    has_nul = any("\x00" in value for value in query.values())
    assert status in ((200, 400) if has_nul else (200,))


def test_reception_records_write_subject_rows(client_for, roads_clerk, manager, world):
    memo, consultation, post = world["memo"], world["consultation"], world["board_post"]
    clerk = client_for(roads_clerk)
    assert clerk.get(reverse("admin:reception_memo_change", args=[memo.pk])).status_code == 200
    assert clerk.get(f"/staff/memos/{memo.pk}/").status_code == 200
    assert clerk.get(f"/staff/consultations/{consultation.pk}/").status_code == 200
    boss = client_for(manager)
    assert boss.get(reverse("admin:reception_boardpost_change", args=[post.pk])).status_code == 200
    subjects = sorted(AccessLog.objects.values_list("subject", flat=True))
    assert subjects == sorted(
        [
            f"reception.memo:{memo.pk}",
            f"reception.memo:{memo.pk}",
            f"reception.consultation:{consultation.pk}",
            f"reception.boardpost:{post.pk}",
        ]
    )
    assert not AccessLog.objects.filter(complaint__isnull=False).exists()
    page = boss.get(URL)
    assert f"reception.memo:{memo.pk}" in page.content.decode()


def test_refused_detail_writes_no_row(client_for, other_clerk, world):
    memo = world["memo"]
    response = client_for(other_clerk).get(f"/staff/memos/{memo.pk}/")
    assert response.status_code in (403, 404)
    assert not AccessLog.objects.exists()


def test_a_refused_post_to_a_detail_writes_no_row(client_for, roads_clerk, manager, world):
    """The records are read-only in the admin: a POST is refused (403) before anything is
    shown, so nobody's data was looked at and no row is written."""
    complaint_url = reverse("admin:complaints_complaint_change", args=[world["complaint"].pk])
    memo_url = reverse("admin:reception_memo_change", args=[world["memo"].pk])
    clerk = client_for(roads_clerk)
    assert clerk.post(complaint_url, {"title": "x"}).status_code == 403
    assert client_for(manager).post(memo_url, {"name": "x"}).status_code == 403
    assert not AccessLog.objects.exists()
    assert clerk.get(complaint_url).status_code == 200
    assert AccessLog.objects.count() == 1
