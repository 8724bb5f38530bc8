"""The pages each visitor asks differently (issue 20's varied rows in bench/web.py): the
queries of each stay the same however many filings the table holds (C2 L2).

Each page is asked for cold: a different filing's tracking page, another page and filter
of the queue, another receipt number or phone in the search."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services, tracking
from tests.complaints.factories import file_one

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:complaints_complaint_changelist")
TRACKING_QUERIES = 2
QUEUE_QUERIES = 14  # the same bound as the first page's (test_admin_queue.py)
SEARCH_QUERIES = 14


@pytest.fixture
def filings(request, road_type, roads_clerk):
    """`request.param` filings of the roads clerk's department, every other one assigned."""
    now = timezone.now()
    member = roads_clerk.staff_member
    made = []
    for i in range(request.param):
        complaint = file_one(
            road_type, now=now, arrived_at=now - timedelta(minutes=i), phone=f"010-4000-{i:04d}"
        )
        if i % 2:
            complaint = services.assign(complaint, member, by=roads_clerk, now=now)
        made.append(complaint)
    return made


SIZES = pytest.mark.parametrize("filings", [4, 60], indirect=True)


@SIZES
def test_L2_each_filings_tracking_page_takes_the_same_queries(filings, django_assert_num_queries):
    for complaint in (filings[0], filings[-1], filings[len(filings) // 2]):
        with django_assert_num_queries(TRACKING_QUERIES):
            page = Client().get(tracking.tracking_path(complaint))
        assert page.status_code == 200
        assert complaint.receipt_number in page.text


@SIZES
def test_C2_queue_pages_and_filters_take_the_same_queries(
    filings, client_for, roads_clerk, settings, django_assert_max_num_queries
):
    client = client_for(roads_clerk)
    client.get(CHANGELIST)  # the session's first look
    for query in (
        {"p": 2} if len(filings) > 50 else {},
        {"stage__exact": "assigned"},
        {"stage__exact": "received", "channel__exact": "web"},
        {"is_priority__exact": "0", "overdue": "no"},
    ):
        with django_assert_max_num_queries(QUEUE_QUERIES):
            response = client.get(CHANGELIST, query)
        assert response.status_code == 200
        assert response.context["cl"].result_list


@SIZES
def test_C2_search_by_receipt_and_by_phone_takes_the_same_queries(
    filings, client_for, roads_clerk, django_assert_max_num_queries
):
    client = client_for(roads_clerk)
    client.get(CHANGELIST)
    wanted = filings[len(filings) // 2]
    for term in (wanted.receipt_number, wanted.phone):
        with django_assert_max_num_queries(SEARCH_QUERIES):
            response = client.get(CHANGELIST, {"q": term})
        found = [c.receipt_number for c in response.context["cl"].result_list]
        assert found == [wanted.receipt_number]
